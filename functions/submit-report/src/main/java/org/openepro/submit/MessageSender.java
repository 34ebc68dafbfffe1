package org.openepro.submit;

/** Puts one message on one queue; throws when the queue did not accept it. */
@FunctionalInterface
public interface MessageSender {
    void send(String queueUrl, String body);
}
