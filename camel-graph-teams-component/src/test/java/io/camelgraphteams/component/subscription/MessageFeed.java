package io.camelgraphteams.component.subscription;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.camelgraphteams.emulator.GraphEmulator;
import io.camelgraphteams.emulator.teams.NewMessage;

/** Posts a chat message through the emulator every 100–300 ms (real time) and remembers each message id. */
final class MessageFeed implements AutoCloseable {

    private final GraphEmulator emulator;
    private final String chatId;
    private final String from;
    private final ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "message-feed");
        t.setDaemon(true);
        return t;
    });
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    private MessageFeed(GraphEmulator emulator, String chatId, String from) {
        this.emulator = emulator;
        this.chatId = chatId;
        this.from = from;
    }

    static MessageFeed start(GraphEmulator emulator, String chatId, String from) {
        MessageFeed feed = new MessageFeed(emulator, chatId, from);
        feed.poster.execute(feed::post);
        return feed;
    }

    private void post() {
        if (!running) {
            return;
        }
        posted.add(emulator.teams().postChatMessage(chatId, NewMessage.text(from, "message " + posted.size())).id());
        poster.schedule(this::post, ThreadLocalRandom.current().nextLong(100, 301), TimeUnit.MILLISECONDS);
    }

    /** Stops posting; returns once no post is under way. */
    void stop() throws InterruptedException {
        running = false;
        poster.shutdown();
        poster.awaitTermination(5, TimeUnit.SECONDS);
    }

    List<String> posted() {
        return List.copyOf(posted);
    }

    @Override
    public void close() {
        running = false;
        poster.shutdownNow();
    }
}
