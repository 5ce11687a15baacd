package io.extrophi.orchestrator.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Plain logic in one JVM: no listening socket, no child process, no wait on a timer; milliseconds
 * each. The fast loop: {@code mvn -B test -Dgroups=unit}.
 *
 * <p>Every test class carries exactly one of {@link UnitTest}, {@link IntegrationTest}, {@link
 * BrowserTest} and {@link SoakTest} ({@link TestTagsTest} checks it); {@code mvn -B verify} runs
 * them all.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("unit")
public @interface UnitTest {}
