package io.camelgraphteams.component.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Asserts a refusal and the house rule that goes with every refusal: the token never appears in the message. */
final class Refusals {

    private Refusals() {
    }

    /** verify() must refuse {@code token} as invalid (not as a key-source failure); returns the exception for more checks. */
    static InvalidValidationTokenException assertRefused(ValidationTokenVerifier verifier, String token) {
        InvalidValidationTokenException refusal = catchThrowableOfType(InvalidValidationTokenException.class,
                () -> verifier.verify(token));
        assertThat(refusal).as("verify() must refuse the token").isNotNull();
        assertThat(refusal.isKeySourceFailure()).as("refused as invalid, not as keys unavailable: " + refusal.getMessage())
                .isFalse();
        assertTokenNotDisclosed(refusal, token);
        return refusal;
    }

    static void assertTokenNotDisclosed(Throwable refusal, String token) {
        if (token == null || token.isBlank()) {
            return;
        }
        for (Throwable t = refusal; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            assertThat(message).doesNotContain(token);
            for (String part : token.split("\\.")) {
                if (part.length() > 16) {
                    assertThat(message).as("a segment of the token in: " + message).doesNotContain(part);
                }
            }
        }
    }
}
