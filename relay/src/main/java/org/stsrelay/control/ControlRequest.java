package org.stsrelay.control;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One operator request, written as one line {@code VERB ARGUMENT...}; {@code *} stands for "all destinations"
 * or "all policy domains". Requests are idempotent: applying one twice leaves the relay as applying it once.
 */
public sealed interface ControlRequest {

    /** The text that stands for every destination or domain. */
    String ALL = "*";

    /** The one-line form, e.g. {@code hold example.com} or {@code report-send 2026-12-03 *}. */
    String line();

    /** What identifies this request among the pending ones: the same request left twice is pending once. */
    default String key() {
        return line().replace(' ', '_').replace(ALL, "all");
    }

    /** The key of a pending request this one supersedes (a release cancels a pending hold of the same target). */
    default Optional<String> cancels() {
        return Optional.empty();
    }

    /** Deletes one message from the spool; it is never delivered. */
    record DeleteMessage(String queueId) implements ControlRequest {
        /** Refuses anything but letters and digits: the id becomes part of a file name. */
        public DeleteMessage {
            RequestLine.requireQueueId(queueId);
        }

        @Override
        public String line() {
            return "delete " + queueId;
        }
    }

    /** Holds delivery of everything (empty domain) or to one destination until released. */
    record Hold(Optional<String> domain) implements ControlRequest {
        /** Refuses a domain that is not lower case and in A-labels: it becomes part of a file name. */
        public Hold {
            domain.ifPresent(RequestLine::requireDomain);
        }

        @Override
        public String line() {
            return "hold " + domain.orElse(ALL);
        }

        @Override
        public Optional<String> cancels() {
            return Optional.of(new Release(domain).key());
        }
    }

    /** Releases a hold of everything (empty domain) or of one destination. */
    record Release(Optional<String> domain) implements ControlRequest {
        /** Refuses a domain that is not lower case and in A-labels: it becomes part of a file name. */
        public Release {
            domain.ifPresent(RequestLine::requireDomain);
        }

        @Override
        public String line() {
            return "release " + domain.orElse(ALL);
        }

        @Override
        public Optional<String> cancels() {
            return Optional.of(new Hold(domain).key());
        }
    }

    /** Makes deferred recipients (of every destination, or of one) due now. */
    record Flush(Optional<String> domain) implements ControlRequest {
        /** Refuses a domain that is not lower case and in A-labels: it becomes part of a file name. */
        public Flush {
            domain.ifPresent(RequestLine::requireDomain);
        }

        @Override
        public String line() {
            return "flush " + domain.orElse(ALL);
        }
    }

    /** Drops a domain's cached MTA-STS policy. */
    record PurgePolicy(String domain) implements ControlRequest {
        /** Refuses a domain that is not lower case and in A-labels: it becomes part of a file name. */
        public PurgePolicy {
            RequestLine.requireDomain(domain);
        }

        @Override
        public String line() {
            return "policy-purge " + domain;
        }
    }

    /** Discovers and fetches a domain's MTA-STS policy now. */
    record RefreshPolicy(String domain) implements ControlRequest {
        /** Refuses a domain that is not lower case and in A-labels: it becomes part of a file name. */
        public RefreshPolicy {
            RequestLine.requireDomain(domain);
        }

        @Override
        public String line() {
            return "policy-refresh " + domain;
        }
    }

    /** Sends a UTC day's TLS-RPT reports now: of every policy domain (empty domain) or of one. */
    record SendReports(LocalDate day, Optional<String> domain) implements ControlRequest {
        /** Refuses a domain that is not lower case and in A-labels: it becomes part of a file name. */
        public SendReports {
            Objects.requireNonNull(day, "day");
            domain.ifPresent(RequestLine::requireDomain);
        }

        @Override
        public String line() {
            return "report-send " + day + " " + domain.orElse(ALL);
        }
    }
}
