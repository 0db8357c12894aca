package io.camelgraphteams.component.cluster;

/**
 * A Camel cluster service that can confirm, against its store and right before an action only the leader may take
 * (every Graph write: create, renew, reauthorize, delete a subscription), that this instance still holds a namespace's
 * lease: a leader paused past its lease (a long GC, SIGSTOP) must not act on its stale belief once it resumes.
 */
public interface FencedLeadership {

    /**
     * @throws LostLeadershipException unless this instance holds the namespace's lease now, by the store's clock
     */
    void checkLeading(String namespace) throws LostLeadershipException;
}
