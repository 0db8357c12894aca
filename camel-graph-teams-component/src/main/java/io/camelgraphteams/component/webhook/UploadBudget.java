package io.camelgraphteams.component.webhook;

/**
 * How much every graph-teams intake of one component may hold at once: request bodies being received or worked on,
 * in bytes and in number. A body is admitted only when it fits (its Content-Length, or twice maxBodySize when it gives
 * none), before a byte of it is read; beyond the budget the POST is answered 503 at once, so a flood of large or slow
 * uploads cannot take the heap or every connection, and Graph retries the genuine batches it turned away. Large
 * bodies (over a sixteenth of the bytes) share three quarters of the bytes at most: however many of them an attacker
 * sends, the batches Graph usually sends (kilobytes to a few megabytes) still find room.
 */
public final class UploadBudget {

    private final long maxBytes;
    private final int maxUploads;
    private final long largeBody;
    private final long maxLargeBytes;
    private long bytes;
    private long largeBytes;
    private int uploads;

    public UploadBudget(long maxBytes, int maxUploads) {
        if (maxBytes < 1 || maxUploads < 1) {
            throw new IllegalArgumentException("the upload budget must be positive, was " + maxBytes + " bytes and "
                                               + maxUploads + " uploads");
        }
        this.maxBytes = maxBytes;
        this.maxUploads = maxUploads;
        this.largeBody = maxBytes / 16;
        this.maxLargeBytes = maxBytes / 4 * 3;
    }

    /** Admits a body of at most {@code size} bytes; false when it does not fit now. */
    public synchronized boolean tryAcquire(long size) {
        boolean large = size > largeBody;
        if (uploads >= maxUploads || bytes + size > maxBytes || (large && largeBytes + size > maxLargeBytes)) {
            return false;
        }
        uploads++;
        bytes += size;
        if (large) {
            largeBytes += size;
        }
        return true;
    }

    /** Gives back what {@link #tryAcquire(long)} took for a body of {@code size}; called once per admitted body. */
    public synchronized void release(long size) {
        uploads--;
        bytes -= size;
        if (size > largeBody) {
            largeBytes -= size;
        }
    }

    /** The largest body this budget can ever admit (three quarters of its bytes, the share of large bodies). */
    public long largestAdmissible() {
        return Math.max(largeBody, maxLargeBytes);
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
