package io.extrophi.orchestrator.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Drives the status page in headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}).
 *
 * <p>Every test class carries exactly one of {@link UnitTest}, {@link IntegrationTest}, {@link
 * BrowserTest} and {@link SoakTest} ({@link TestTagsTest} checks it); {@code mvn -B verify} runs
 * them all.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("browser")
public @interface BrowserTest {}
