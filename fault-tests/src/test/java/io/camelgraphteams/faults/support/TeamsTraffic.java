package io.camelgraphteams.faults.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.teams.TeamsStore;

/**
 * Teams traffic through the emulator's TeamsStore, in turns across the conversations of the emulator's {@link DemoTenant}: a new
 * message each step, and optionally an edit of an earlier message every few steps. Every version is recorded in a
 * {@link PostedVersions}. {@link #start} runs the steps on a thread of its own, so a test can break things while
 * messages keep coming.
 */
public final class TeamsTraffic implements AutoCloseable {

    /** Where a step posts. */
    public enum Conversation {
        LAUNCH_PLAN(DemoTenant.GROUP_CHAT, null, DemoTenant.ADELE),
        MEGAN_AND_DIEGO(DemoTenant.ONE_ON_ONE_CHAT, null, DemoTenant.MEGAN),
        GENERAL_CHANNEL(null, DemoTenant.GENERAL_CHANNEL, DemoTenant.ALEX),
        LAUNCH_CHANNEL(null, DemoTenant.LAUNCH_CHANNEL, DemoTenant.ADELE);

        private final String chatId;
        private final String channelId;
        private final String author;

        Conversation(String chatId, String channelId, String author) {
            this.chatId = chatId;
            this.channelId = channelId;
            this.author = author;
        }

        public boolean isChat() {
            return chatId != null;
        }

        ChatMessage post(TeamsStore teams, String text) {
            NewMessage message = NewMessage.text(author, text);
            return isChat() ? teams.postChatMessage(chatId, message) : teams.postChannelMessage(DemoTenant.TEAM, channelId, message);
        }
    }

    public static final List<Conversation> CHATS = List.of(Conversation.LAUNCH_PLAN, Conversation.MEGAN_AND_DIEGO);
    public static final List<Conversation> CHANNELS = List.of(Conversation.GENERAL_CHANNEL, Conversation.LAUNCH_CHANNEL);
    public static final List<Conversation> ALL = List.of(Conversation.values());

    private final TeamsStore teams;
    private final PostedVersions posted;
    private final List<Conversation> conversations;
    private final int editEvery;
    private final AtomicInteger steps = new AtomicInteger();
    private final List<ChatMessage> created = new CopyOnWriteArrayList<>();
    private volatile Thread thread;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /**
     * @param editEvery every this many steps the step edits an earlier message instead of posting (0: never)
     */
    public TeamsTraffic(TeamsStore teams, PostedVersions posted, List<Conversation> conversations, int editEvery) {
        this.teams = teams;
        this.posted = posted;
        this.conversations = List.copyOf(conversations);
        this.editEvery = editEvery;
    }

    /** One message in each conversation, now: the consumer learns every conversation before faults start. */
    public void greetEveryConversation() {
        for (Conversation conversation : conversations) {
            step(conversation, "hello " + conversation.name());
        }
    }

    /** Runs {@code count} steps, one every {@code interval}, on a thread of its own. */
    public void start(int count, Duration interval) {
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    long next = System.nanoTime() + interval.toNanos();
                    int n = steps.get();
                    if (editEvery > 0 && n % editEvery == editEvery - 1 && !created.isEmpty()) {
                        ChatMessage earlier = created.get(created.size() / 2 + n % Math.max(1, created.size() / 2));
                        posted.add(teams.editMessage(earlier.id(), earlier.content() + " (edited at step " + n + ")"));
                    } else {
                        step(conversations.get(n % conversations.size()), "message " + n);
                    }
                    steps.incrementAndGet();
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
                done.complete(null);
            } catch (InterruptedException e) {
                done.completeExceptionally(e);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "teams-traffic");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void step(Conversation conversation, String text) {
        ChatMessage message = posted.add(conversation.post(teams, text + " in " + conversation.name()));
        created.add(message);
    }

    /** Steps done so far by {@link #start}. */
    public int steps() {
        return steps.get();
    }

    /** Waits for the last step; fails with what went wrong in the traffic thread. */
    public void awaitDone(Duration timeout) throws Exception {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the Teams traffic failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the Teams traffic did not finish within " + timeout + " (" + steps() + " steps)");
        }
    }

    @Override
    public void close() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
