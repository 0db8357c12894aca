package io.camelgraphteams.benchmarks.component;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * An idempotent repository that remembers nothing: every key is new. For benchmarks whose corpus repeats its items, so
 * each repeat is routed like a fresh notification instead of being skipped as a duplicate.
 */
final class ForgetfulIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    @Override
    public boolean add(String key) {
        return true;
    }

    @Override
    public boolean contains(String key) {
        return false;
    }

    @Override
    public boolean remove(String key) {
        return false;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        // nothing is kept
    }
}
