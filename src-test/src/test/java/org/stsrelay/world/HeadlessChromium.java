package org.stsrelay.world;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.AssertionFailedError;
import org.stsrelay.policy.testing.RequiredTools;

/**
 * Debian's Chromium, headless: loads a page as a person's browser would and gives back the DOM it built, or a
 * screenshot of what it drew. Each call is one browser process with its own profile directory, stopped by its PID
 * (and its own child processes) if it outlives the bound.
 */
public final class HeadlessChromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 90;

    private final Path directory;
    private int runs;

    private HeadlessChromium(Path directory) {
        this.directory = directory;
    }

    /**
     * A browser working in {@code directory}. Skips the calling test when Chromium is not installed (a failure
     * instead when {@link RequiredTools} requires chromium).
     */
    public static HeadlessChromium in(Path directory) {
        RequiredTools.assume(
                "chromium",
                Files.isExecutable(CHROMIUM),
                "Chromium is not installed (no " + CHROMIUM + "); install Debian's chromium package to run this test");
        return new HeadlessChromium(directory);
    }

    /** The DOM that Chromium built for {@code page}, serialised as HTML. */
    public String dumpDom(URI page) {
        Path out = directory.resolve("dom-" + (++runs) + ".html");
        run(List.of("--dump-dom", page.toString()), out);
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Draws {@code page} in a window of {@code width} × {@code height} pixels into the PNG {@code target}. */
    public void screenshot(URI page, Path target, int width, int height) {
        Path log = directory.resolve("screenshot-" + (++runs) + ".out");
        run(
                List.of(
                        "--screenshot=" + target.toAbsolutePath(),
                        "--window-size=" + width + "," + height,
                        "--hide-scrollbars",
                        page.toString()),
                log);
        if (!Files.isRegularFile(target)) {
            throw new AssertionFailedError("Chromium wrote no screenshot of " + page + ": " + tail(log));
        }
    }

    private void run(List<String> arguments, Path stdout) {
        List<String> command = new ArrayList<>(List.of(
                CHROMIUM.toString(),
                "--headless=new",
                // The tests run as root in CI, where Chromium's sandbox cannot start; the pages are our own.
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-extensions",
                "--user-data-dir=" + directory.resolve("profile-" + runs)));
        command.addAll(arguments);
        Path stderr = directory.resolve("chromium-" + runs + ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                stop(process);
                throw new AssertionFailedError("Chromium did not finish in " + TIMEOUT_SECONDS + " s: " + tail(stderr));
            }
            if (process.exitValue() != 0) {
                throw new AssertionFailedError("Chromium exited " + process.exitValue() + ": " + tail(stderr));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + CHROMIUM, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted while Chromium ran");
        }
    }

    // Only the processes this call started: the browser and the renderers it spawned.
    private static void stop(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    private static String tail(Path file) {
        try {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(unreadable " + file + ")";
        }
    }
}
