package org.openepro.core.message;

/** A queue body no reader of its contract can act on; the reason names the problem, never the body. */
public final class UndecodableMessageException extends RuntimeException {
    public UndecodableMessageException(String reason) {
        // no stack: the reason says it all, and the consumer logs it by type and reason
        super(reason, null, false, false);
    }
}
