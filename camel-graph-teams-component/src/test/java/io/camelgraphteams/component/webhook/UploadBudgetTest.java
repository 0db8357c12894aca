package io.camelgraphteams.component.webhook;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The component-wide budget request bodies are admitted against before a byte of them is read. */
class UploadBudgetTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void largeBodiesTakeAtMostThreeQuartersAndOrdinaryBatchesStillFit() {
        UploadBudget budget = new UploadBudget(128 * MIB, 512);

        int admittedLarge = 0;
        while (budget.tryAcquire(16 * MIB)) {
            admittedLarge++;
        }

        assertThat(admittedLarge).as("16 MiB bodies admitted out of a 128 MiB budget").isEqualTo(6);
        assertThat(budget.tryAcquire(64 * 1024)).as("a genuine batch during the flood").isTrue();
    }

    @Test
    void beyondTheUploadCountARequestIsRefusedAndAReleaseMakesRoom() {
        UploadBudget budget = new UploadBudget(MIB, 2);
        assertThat(budget.tryAcquire(10)).isTrue();
        assertThat(budget.tryAcquire(10)).isTrue();

        assertThat(budget.tryAcquire(10)).isFalse();

        budget.release(10);
        assertThat(budget.tryAcquire(10)).isTrue();
        assertThat(budget.uploadsInFlight()).isEqualTo(2);
        assertThat(budget.bytesInFlight()).isEqualTo(20);
    }

    @Test
    void aBodyLargerThanWhatIsLeftIsRefused() {
        UploadBudget budget = new UploadBudget(100, 10);
        assertThat(budget.tryAcquire(5)).isTrue();

        assertThat(budget.tryAcquire(96)).isFalse();

        assertThat(budget.tryAcquire(6)).isTrue();
        assertThat(budget.bytesInFlight()).isEqualTo(11);
    }
}
