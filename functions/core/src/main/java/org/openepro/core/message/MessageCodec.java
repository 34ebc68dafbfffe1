package org.openepro.core.message;

/**
 * Reads and writes one queue message contract. Every contract's JSON carries {@code type} (what the
 * message asks for) and {@code schemaVersion}. Within a schema version, fields are only ever added
 * and readers ignore fields they do not know; a change a reader must understand is a new version,
 * which an older reader refuses. Contract tests pin each version to a sample in {@code events/messages/}.
 *
 * <p>The policy for a body that cannot be decoded: {@link #decode} throws
 * {@link UndecodableMessageException}; the queue consumer fails that record only and counts it
 * ({@code MessagesUndecodable}); SQS redrives it to the queue's dead-letter queue after
 * {@code maxReceiveCount} receives, where its alarm fires. It is never dropped silently: a message
 * a newer producer wrote waits there for a redrive once the consumer understands it.
 */
public interface MessageCodec<M> {
    /** The {@code type} this contract's messages carry. */
    String type();

    /** The newest {@code schemaVersion} this codec reads, and the one it writes. */
    int schemaVersion();

    String encode(M message);

    /** @throws UndecodableMessageException naming what is wrong, never quoting the body */
    M decode(String body);
}
