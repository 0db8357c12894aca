package io.camelgraphteams.examples.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.teams.TeamsStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.camelgraphteams.emulator.demo.DemoTenant.ADELE;
import static io.camelgraphteams.emulator.demo.DemoTenant.ALEX;
import static io.camelgraphteams.emulator.demo.DemoTenant.GENERAL_CHANNEL;
import static io.camelgraphteams.emulator.demo.DemoTenant.GROUP_CHAT;
import static io.camelgraphteams.emulator.demo.DemoTenant.LAUNCH_CHANNEL;
import static io.camelgraphteams.emulator.demo.DemoTenant.MEGAN;
import static io.camelgraphteams.emulator.demo.DemoTenant.ONE_ON_ONE_CHAT;
import static io.camelgraphteams.emulator.demo.DemoTenant.TEAM;

/**
 * Simulated Teams traffic for the local demo: one change every interval, in turns across the chats and channels of
 * the demo tenant ({@link io.camelgraphteams.emulator.demo.DemoTenant}): posts, @mentions of Adele, replies, edits and deletes.
 */
public final class TeamsConversations implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TeamsConversations.class);

    private final TeamsStore teams;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "teams-conversations");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger step = new AtomicInteger();
    private final List<ChatMessage> recent = new ArrayList<>();

    public TeamsConversations(TeamsStore teams) {
        this.teams = teams;
    }

    public void start(long intervalMillis) {
        clock.scheduleWithFixedDelay(this::next, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void next() {
        int n = step.getAndIncrement();
        int round = n / 8 + 1;
        try {
            switch (n % 8) {
            case 0 -> post("Launch plan chat", teams.postChatMessage(GROUP_CHAT,
                    NewMessage.text(ADELE, "Launch checklist, round " + round + ", is ready")));
            case 1 -> post("General", teams.postChannelMessage(TEAM, GENERAL_CHANNEL, NewMessage.from(MEGAN)
                    .content("Adele, release notes " + round + " need your review").mention(ADELE).build()));
            case 2 -> post("Megan/Diego chat", teams.postChatMessage(ONE_ON_ONE_CHAT,
                    NewMessage.text(MEGAN, "Lunch at noon? (" + round + ")")));
            case 3 -> post("Launch plan chat", teams.postChatMessage(GROUP_CHAT, NewMessage.from(ALEX)
                    .content("Adele, the venue moved (" + round + ")").mention(ADELE).build()));
            case 4 -> post("General reply", teams.postReply(TEAM, GENERAL_CHANNEL, recent.get(recent.size() - 3).id(),
                    NewMessage.text(ALEX, "Looks good to me")));
            case 5 -> {
                ChatMessage edited = teams.editMessage(recent.get(recent.size() - 5).id(),
                        "Launch checklist, round " + round + ", is ready (updated)");
                LOG.info("Teams: edited message {} in the Launch plan chat", edited.id());
            }
            case 6 -> post("Launch channel", teams.postChannelMessage(TEAM, LAUNCH_CHANNEL,
                    NewMessage.text(ADELE, "Version " + round + ".0 is out")));
            default -> {
                ChatMessage deleted = teams.deleteMessage(recent.get(recent.size() - 4).id());
                LOG.info("Teams: deleted message {} in the Megan/Diego chat", deleted.id());
            }
            }
        } catch (RuntimeException e) {
            LOG.warn("Simulated Teams traffic failed: {}", e.getMessage());
        }
    }

    private void post(String where, ChatMessage message) {
        recent.add(message);
        LOG.info("Teams: {} wrote in {}: {}", message.from().displayName(), where, message.content());
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
