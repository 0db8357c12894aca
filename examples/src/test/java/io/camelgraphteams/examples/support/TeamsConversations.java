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

import static io.camelgraphteams.examples.support.EmulatedTeams.ADELE;
import static io.camelgraphteams.examples.support.EmulatedTeams.GENERAL;
import static io.camelgraphteams.examples.support.EmulatedTeams.LAUNCH_CHAT;
import static io.camelgraphteams.examples.support.EmulatedTeams.MEGAN;
import static io.camelgraphteams.examples.support.EmulatedTeams.NESTOR;
import static io.camelgraphteams.examples.support.EmulatedTeams.ONE_ON_ONE;
import static io.camelgraphteams.examples.support.EmulatedTeams.RELEASES;
import static io.camelgraphteams.examples.support.EmulatedTeams.TEAM;

/**
 * Simulated Teams traffic for the local demo: one change every interval, in turns across the chats and channels of
 * {@link EmulatedTeams}: posts, @mentions of Adele, replies, edits and deletes.
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
            case 0 -> post("Launch chat", teams.postChatMessage(LAUNCH_CHAT,
                    NewMessage.text(ADELE, "Launch checklist, round " + round + ", is ready")));
            case 1 -> post("General", teams.postChannelMessage(TEAM, GENERAL, NewMessage.from(MEGAN)
                    .content("Adele, release notes " + round + " need your review").mention(ADELE).build()));
            case 2 -> post("Adele/Megan chat", teams.postChatMessage(ONE_ON_ONE,
                    NewMessage.text(MEGAN, "Lunch at noon? (" + round + ")")));
            case 3 -> post("Launch chat", teams.postChatMessage(LAUNCH_CHAT, NewMessage.from(NESTOR)
                    .content("Adele, the venue moved (" + round + ")").mention(ADELE).build()));
            case 4 -> post("General reply", teams.postReply(TEAM, GENERAL, recent.get(recent.size() - 3).id(),
                    NewMessage.text(NESTOR, "Looks good to me")));
            case 5 -> {
                ChatMessage edited = teams.editMessage(recent.get(recent.size() - 5).id(),
                        "Launch checklist, round " + round + ", is ready (updated)");
                LOG.info("Teams: edited message {} in the Launch chat", edited.id());
            }
            case 6 -> post("Releases", teams.postChannelMessage(TEAM, RELEASES,
                    NewMessage.text(ADELE, "Version " + round + ".0 is out")));
            default -> {
                ChatMessage deleted = teams.deleteMessage(recent.get(recent.size() - 4).id());
                LOG.info("Teams: deleted message {} in the Adele/Megan chat", deleted.id());
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
