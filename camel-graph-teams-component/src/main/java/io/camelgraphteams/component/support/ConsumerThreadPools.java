package io.camelgraphteams.component.support;

import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * The bounded pools a consumer's intake and workers run on. Never CallerRuns (the caller may be the Vert.x event
 * loop): a full queue is refused, and the intake answers 503 so Graph retries instead of the heap growing.
 */
public final class ConsumerThreadPools {

    private static final int MAX_QUEUED_TASKS = 10_000;
    // each queued batch holds its body (up to maxBodySize): a short queue bounds that memory
    private static final int MAX_QUEUED_BATCHES = 64;

    private ConsumerThreadPools() {
    }

    /** How many workers a consumer has: {@code workerPoolSize}, or twice the cores when 0. */
    public static int workerThreads(int workerPoolSize) {
        return workerPoolSize > 0 ? workerPoolSize : 2 * Runtime.getRuntime().availableProcessors();
    }

    /** Decrypts, fetches and hands items to the route, {@link #workerThreads} of them. */
    public static ExecutorService workers(CamelContext camelContext, Object source, String name, int workerPoolSize) {
        return camelContext.getExecutorServiceManager().newThreadPool(source, name,
                profile("graph-teams-notifications", workerThreads(workerPoolSize), MAX_QUEUED_TASKS));
    }

    /** Parses and checks batches, apart from the workers so a new batch is judged (and maybe shed) at once. */
    public static ExecutorService intake(CamelContext camelContext, Object source, String name) {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        return camelContext.getExecutorServiceManager().newThreadPool(source, name,
                profile("graph-teams-intake", threads, MAX_QUEUED_BATCHES));
    }

    private static ThreadPoolProfile profile(String id, int size, int maxQueued) {
        ThreadPoolProfile profile = new ThreadPoolProfile(id);
        profile.setPoolSize(size);
        profile.setMaxPoolSize(size);
        profile.setMaxQueueSize(maxQueued);
        profile.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        profile.setAllowCoreThreadTimeOut(false);
        return profile;
    }
}
