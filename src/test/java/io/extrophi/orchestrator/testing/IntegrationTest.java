package io.extrophi.orchestrator.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Real servers on loopback, a deployed orchestrator or verticles, or child JVMs; waits for events
 * with generous deadlines.
 *
 * <p>Every test class carries exactly one of {@link UnitTest}, {@link IntegrationTest}, {@link
 * BrowserTest} and {@link SoakTest} ({@link TestTagsTest} checks it); {@code mvn -B verify} runs
 * them all.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("integration")
public @interface IntegrationTest {}
