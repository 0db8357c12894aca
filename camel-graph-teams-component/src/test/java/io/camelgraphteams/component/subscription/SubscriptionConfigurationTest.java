package io.camelgraphteams.component.subscription;

import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.camelgraphteams.component.GraphTeamsEndpoint;
import io.camelgraphteams.component.testsupport.ManagedConsumer;
import io.camelgraphteams.component.testsupport.ReceivingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Issue 4: a subscription configuration Graph would refuse, or that cannot call Graph, is refused when the endpoint is
 * created (before any route starts or any call is made), and the message names the option at fault.
 */
class SubscriptionConfigurationTest {

    private static final String SECRET = "Config~Test.Secret_value-0001";

    @TempDir
    static Path dir;

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    /** A managed configuration that works; each case breaks one thing. */
    private static ManagedConsumer.Options valid() {
        return new ManagedConsumer.Options()
                .set("clientId", "0e0e0e0e-0000-4000-8000-000000000001")
                .set("tenantId", "11111111-2222-3333-4444-555555555555")
                .set("clientSecret", "RAW(" + SECRET + ")")
                .set("clientState", "RAW(" + ReceivingContext.CLIENT_STATE + ")")
                .set("keyStore", "file:" + ReceivingContext.keyStore(dir))
                .set("keyStorePassword", "RAW(" + ReceivingContext.KEY_STORE_PASSWORD + ")")
                .set("certificateId", ReceivingContext.CERTIFICATE_ID)
                .set("notificationUrl", "https://teams-bot.example.com/graph/notifications")
                .set("lifecycleNotificationUrl", "https://teams-bot.example.com/graph/lifecycle");
    }

    @Test
    void aValidConfigurationIsAccepted() {
        GraphTeamsEndpoint endpoint = context.getEndpoint(valid().set("subscriptionLifetime", "2h").set("model", "B")
                .uri("chats/getAllMessages"), GraphTeamsEndpoint.class);
        assertThat(endpoint.subscriptionResourceWithQuery()).isEqualTo("/chats/getAllMessages?model=B");
        assertThat(endpoint.subscriptionLifetime()).hasHours(2);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("lifetime over 1 hour without lifecycleNotificationUrl", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.remove("lifecycleNotificationUrl").set("subscriptionLifetime", "61m"),
                        "lifecycleNotificationUrl"),
                arguments("http notificationUrl that is not localhost", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.set("notificationUrl", "http://teams-bot.example.com/graph/notifications"),
                        "notificationUrl"),
                arguments("http lifecycleNotificationUrl that is not localhost", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.set("lifecycleNotificationUrl", "http://teams-bot.example.com/graph/lifecycle"),
                        "lifecycleNotificationUrl"),
                arguments("includeResourceData without keys", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.remove("keyStore").remove("keyStorePassword").remove("certificateId"),
                        "includeResourceData"),
                arguments("clientState over 128 characters", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.set("clientState", "x".repeat(129)),
                        "clientState"),
                arguments("unknown changeType", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.set("changeType", "created,moved"),
                        "changeType"),
                arguments("unknown model", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.set("model", "C"),
                        "model"),
                arguments("search on a tenant-wide resource", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.set("search", "budget"),
                        "search"),
                arguments("mentionedUserId on a tenant-wide resource", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.set("mentionedUserId", "u-1"),
                        "mentionedUserId"),
                arguments("missing notificationUrl", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.remove("notificationUrl"),
                        "notificationUrl"),
                arguments("missing tenantId", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.remove("tenantId"),
                        "tenantId"),
                arguments("missing credentials", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.remove("clientSecret"),
                        "clientSecret"),
                arguments("lifetime over Graph's maximum", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.set("subscriptionLifetime", "4321m"),
                        "subscriptionLifetime"),
                arguments("renewBefore not shorter than the lifetime", (UnaryOperator<ManagedConsumer.Options>)
                        o -> o.set("subscriptionLifetime", "10m").set("renewBefore", "10m"),
                        "renewBefore"));
    }

    @Test
    void modelOnAResourceThatIsNotMeteredIsRefused() {
        String uri = valid().set("model", "B").uri("chats/19:a@thread.v2/messages");
        assertThatThrownBy(() -> context.getEndpoint(uri)).isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().hasMessageContaining("is not metered: remove model");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedAtEndpointCreationNamingTheOption(String rule, UnaryOperator<ManagedConsumer.Options> breakIt,
                                                  String option) {
        String uri = breakIt.apply(valid()).uri("chats/getAllMessages");
        assertThatThrownBy(() -> context.getEndpoint(uri))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .rootCause().isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(option).doesNotContain(SECRET));
        assertThat(context.getEndpoints()).as("no endpoint was registered").isEmpty();
    }
}
