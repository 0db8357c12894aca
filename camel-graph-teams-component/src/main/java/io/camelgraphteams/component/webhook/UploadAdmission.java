package io.camelgraphteams.component.webhook;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A POST judged before its body is read by a host whose engine reads bodies before graph-teams sees them (the Spring
 * Boot starter's servlet filter): refused (the answer to send), or admitted with its share of the byte budget and the
 * moment it arrived. An admitted POST carries a ticket in {@link #TICKET_HEADER} to {@link PlatformHttpWebhook}, which
 * claims the admission (its budget and its arrival, from which the answer deadline counts); whatever is not claimed
 * when the host is done with the request is given back by {@link #close()}. A ticket is random and good once: a client
 * sending its own gains nothing.
 */
public final class UploadAdmission implements AutoCloseable {

    /** The request header the host adds (replacing any the client sent) to hand the admission on. */
    public static final String TICKET_HEADER = "X-Graph-Teams-Upload-Ticket";

    private final BatchResponse refusal;
    private final String ticket;
    private final long reserved;
    private final long limit;
    private final long arrivedNanos;
    private final Runnable release;
    private final AtomicBoolean settled = new AtomicBoolean();

    private UploadAdmission(BatchResponse refusal, String ticket, long reserved, long limit, long arrivedNanos,
                            Runnable release) {
        this.refusal = refusal;
        this.ticket = ticket;
        this.reserved = reserved;
        this.limit = limit;
        this.arrivedNanos = arrivedNanos;
        this.release = release;
    }

    static UploadAdmission refused(BatchResponse refusal) {
        return new UploadAdmission(refusal, null, 0, 0, 0, () -> {
        });
    }

    static UploadAdmission admitted(String ticket, long reserved, long limit, long arrivedNanos, Runnable release) {
        return new UploadAdmission(null, ticket, reserved, limit, arrivedNanos, release);
    }

    public boolean isAdmitted() {
        return refusal == null;
    }

    /** The answer to send at once; only when refused. */
    public int status() {
        return refusal.status();
    }

    /** The text of the answer (text/plain); only when refused. */
    public String text() {
        return refusal.text();
    }

    /** The value of {@link #TICKET_HEADER}; only when admitted. */
    public String ticket() {
        return ticket;
    }

    /** How many bytes of body the host may read; one more means the body is too large. */
    public long limit() {
        return limit;
    }

    long reserved() {
        return reserved;
    }

    long arrivedNanos() {
        return arrivedNanos;
    }

    /** Taken over by the intake: from now on it gives the budget back, when the batch is done. */
    boolean claim() {
        return settled.compareAndSet(false, true);
    }

    /** Gives the budget back unless the intake claimed it. */
    @Override
    public void close() {
        if (settled.compareAndSet(false, true)) {
            release.run();
        }
    }
}
