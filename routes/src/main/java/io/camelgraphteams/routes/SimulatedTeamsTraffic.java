package io.camelgraphteams.routes;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.camelgraphteams.emulator.demo.DemoTenant;
import io.camelgraphteams.emulator.teams.ChatMessage;
import io.camelgraphteams.emulator.teams.NewMessage;
import io.camelgraphteams.emulator.teams.TeamsStore;
import io.camelgraphteams.emulator.teams.User;
import org.apache.camel.builder.RouteBuilder;

/**
 * Emulator mode only: people talking in the demo tenant. Every tick (property demo.traffic.period, default 1 second)
 * someone posts in one of the two channels or two chats, now and then mentioning someone or replying in a channel
 * thread; every few ticks a recent message is edited or deleted. The script is fixed, so runs look alike.
 * The route does not start with the others: it is started once the CamelContext (and so every subscription) is up.
 */
public final class SimulatedTeamsTraffic extends RouteBuilder {

    public static final String ROUTE_ID = "simulated-teams-traffic";

    private static final List<String> LINES = List.of(
            "Morning all, the launch checklist is in the Files tab.",
            "Can we move the go/no-go call to 3pm?",
            "The pricing page copy is final, please have a last look.",
            "Build 4.2 passed the smoke tests.",
            "Who owns the press release?",
            "Customer webinar registrations are at 480 so far.",
            "I pushed the updated deck, slide 7 has the new numbers.",
            "Lunch order closes in ten minutes!",
            "Support is ready for the FAQ handover.",
            "Blocking issue: the EU store still shows the old price.");

    private final TeamsStore teams;
    private final List<Conversation> conversations;
    private final Deque<String> recent = new ArrayDeque<>();
    private final Map<String, String> lastRootPerChannel = new HashMap<>();
    private long tick;

    /** Where a message can be posted and who takes part. */
    private record Conversation(String teamId, String channelId, String chatId, List<String> members) {
        boolean isChannel() {
            return channelId != null;
        }
    }

    public SimulatedTeamsTraffic(TeamsStore teams) {
        this.teams = teams;
        List<String> everyone = List.of(DemoTenant.ADELE, DemoTenant.MEGAN, DemoTenant.ALEX,
                DemoTenant.DIEGO);
        this.conversations = List.of(
                new Conversation(DemoTenant.TEAM, DemoTenant.GENERAL_CHANNEL, null, everyone),
                new Conversation(null, null, DemoTenant.GROUP_CHAT,
                        List.of(DemoTenant.ADELE, DemoTenant.MEGAN, DemoTenant.ALEX)),
                new Conversation(DemoTenant.TEAM, DemoTenant.LAUNCH_CHANNEL, null, everyone),
                new Conversation(null, null, DemoTenant.ONE_ON_ONE_CHAT,
                        List.of(DemoTenant.MEGAN, DemoTenant.DIEGO)));
    }

    @Override
    public void configure() {
        from("timer:simulated-teams-traffic?period={{demo.traffic.period:1000}}")
                .routeId(ROUTE_ID)
                .autoStartup(false)
                .process(exchange -> next());
    }

    /** One step of the script. */
    synchronized void next() {
        long n = tick++;
        if (n % 5 == 4 && !recent.isEmpty()) {
            String id = recent.peekLast();
            ChatMessage edited = teams.editMessage(id, teams.message(id).content() + " (edited: typo fixed)");
            log.debug("Simulated edit of message {}", edited.id());
            return;
        }
        if (n % 7 == 6 && recent.size() > 2) {
            String id = recent.pollFirst();
            teams.deleteMessage(id);
            lastRootPerChannel.values().remove(id);
            log.debug("Simulated delete of message {}", id);
            return;
        }
        Conversation conversation = conversations.get((int) (n % conversations.size()));
        String from = conversation.members().get((int) ((n / conversations.size()) % conversation.members().size()));
        NewMessage.Builder message = NewMessage.from(from).contentType("html");
        String line = LINES.get((int) (n % LINES.size()));
        if (n % 3 == 0) {
            String mentioned = conversation.members().get(
                    (conversation.members().indexOf(from) + 1) % conversation.members().size());
            User user = teams.user(mentioned);
            message.content("<p><at id=\"0\">" + user.displayName() + "</at> " + line + "</p>").mention(mentioned);
        } else {
            message.content("<p>" + line + "</p>");
        }
        ChatMessage posted;
        if (!conversation.isChannel()) {
            posted = teams.postChatMessage(conversation.chatId(), message.build());
        } else {
            String root = lastRootPerChannel.get(conversation.channelId());
            // every other turn in a channel answers the thread of its last root message
            if (root != null && (n / conversations.size()) % 2 == 1) {
                posted = teams.postReply(conversation.teamId(), conversation.channelId(), root, message.build());
            } else {
                posted = teams.postChannelMessage(conversation.teamId(), conversation.channelId(), message.build());
                lastRootPerChannel.put(conversation.channelId(), posted.id());
            }
        }
        recent.addLast(posted.id());
        if (recent.size() > 20) {
            recent.pollFirst();
        }
    }
}
