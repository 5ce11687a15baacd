package io.extrophi.orchestrator.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Runs a fleet for a while and checks that nothing grows or drifts; the longest tests.
 *
 * <p>Every test class carries exactly one of {@link UnitTest}, {@link IntegrationTest}, {@link
 * BrowserTest} and {@link SoakTest} ({@link TestTagsTest} checks it); {@code mvn -B verify} runs
 * them all.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("soak")
public @interface SoakTest {}
