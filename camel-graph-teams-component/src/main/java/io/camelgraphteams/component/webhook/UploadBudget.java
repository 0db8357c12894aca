package io.camelgraphteams.component.webhook;

/**
 * How much every graph-teams intake of one component may hold at once: request bodies being received or worked on,
 * in bytes and in number. A body is admitted only when it fits (its Content-Length, or maxBodySize when it gives
 * none), before a byte of it is read; beyond the budget the POST is answered 503 at once, so a flood of large or slow
 * uploads cannot take the heap or every connection, and Graph retries the genuine batches it turned away.
 */
public final class UploadBudget {

    private final long maxBytes;
    private final int maxUploads;
    private long bytes;
    private int uploads;

    public UploadBudget(long maxBytes, int maxUploads) {
        if (maxBytes < 1 || maxUploads < 1) {
            throw new IllegalArgumentException("the upload budget must be positive, was " + maxBytes + " bytes and "
                                               + maxUploads + " uploads");
        }
        this.maxBytes = maxBytes;
        this.maxUploads = maxUploads;
    }

    /** Admits a body of at most {@code size} bytes; false when it does not fit now. */
    public synchronized boolean tryAcquire(long size) {
        if (uploads >= maxUploads || bytes + size > maxBytes) {
            return false;
        }
        uploads++;
        bytes += size;
        return true;
    }

    /** Gives back what {@link #tryAcquire(long)} took, once. */
    public synchronized void release(long size) {
        uploads--;
        bytes -= size;
    }

    public synchronized long bytesInFlight() {
        return bytes;
    }

    public synchronized int uploadsInFlight() {
        return uploads;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public int maxUploads() {
        return maxUploads;
    }
}
