package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint against every role, without a key, with a bad key and with a revoked key.
 *
 * <p>The table below is the permission model written out by hand (it is not read from the
 * code). Calls are shaped so that a permitted caller is refused by validation or "not found"
 * (ids that do not exist, bodies missing required fields) where a success would change shared
 * state; what is checked is only whether the role got past the door: 403 for a role the table
 * excludes, anything else but 401/403 for a role it admits.
 */
class AuthorizationTest {

  enum R { ADMIN, CURATOR, MATCHER, AUDITOR, REVIEWER, PEER, COORDINATOR }

  /** One call of the table; {@code template} is the route it exercises. */
  record Call(String method, String template, String path, String contentType, String body, Set<R> allowed) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /** Every role but a peer's, which reads the pages of its feeds and nothing else. */
  static final Set<R> STAFF = EnumSet.complementOf(EnumSet.of(R.PEER));
  static final Set<R> ADMIN_ONLY = EnumSet.of(R.ADMIN);
  static final Set<R> CURATE = EnumSet.of(R.ADMIN, R.CURATOR);
  static final Set<R> READ = EnumSet.of(R.ADMIN, R.CURATOR, R.AUDITOR);
  static final Set<R> PROPOSALS_READ = EnumSet.of(R.ADMIN, R.CURATOR, R.COORDINATOR, R.AUDITOR);
  static final Set<R> MATCH = EnumSet.of(R.ADMIN, R.MATCHER);
  /** Whoever can start a video job (matching or banking a video) may poll it. */
  static final Set<R> JOBS = EnumSet.of(R.ADMIN, R.MATCHER, R.CURATOR);
  static final Set<R> AUDIT = EnumSet.of(R.ADMIN, R.AUDITOR);
  static final Set<R> BANK_READ = EnumSet.of(R.ADMIN, R.CURATOR, R.AUDITOR, R.REVIEWER);
  static final Set<R> BANK_READ_OR_COORDINATE = EnumSet.of(R.ADMIN, R.CURATOR, R.AUDITOR, R.REVIEWER, R.COORDINATOR);
  static final Set<R> REVIEW = EnumSet.of(R.ADMIN, R.REVIEWER);
  /** Reads what a crisis needs: banks, entries, rules, exchanges, incidents. */
  static final Set<R> READ_OR_COORDINATE = EnumSet.of(R.ADMIN, R.CURATOR, R.AUDITOR, R.COORDINATOR);
  static final Set<R> COORDINATE = EnumSet.of(R.ADMIN, R.COORDINATOR);
  /** Removal orders and the authorities that issue them: coordinators work them, auditors read them. */
  static final Set<R> ORDERS_READ = EnumSet.of(R.ADMIN, R.COORDINATOR, R.AUDITOR);
  /** A coordinator changes the entries of incidents' banks: on an entry that does not exist it learns so (404). */
  static final Set<R> CURATE_OR_COORDINATE = EnumSet.of(R.ADMIN, R.CURATOR, R.COORDINATOR);
  /** User reports: the platform that relayed them reads what became of them, as reviewers and auditors do. */
  static final Set<R> REPORTS_READ = EnumSet.of(R.ADMIN, R.MATCHER, R.REVIEWER, R.AUDITOR);

  /** HMA's clients read bank names and types with the key they match with. */
  static final Set<R> HMA_READ = EnumSet.of(R.ADMIN, R.CURATOR, R.AUDITOR, R.MATCHER);

  static final String JSON = "application/json";
  static final String PDQ_ZERO = "0".repeat(64);
  static final String MD5 = "{\"signals\":{\"md5\":\"" + "c".repeat(32) + "\"}}";

  static List<Call> calls() {
    return List.of(
        new Call("POST", "/api/v1/keys", "/api/v1/keys", JSON, "{\"role\":\"matcher\"}", ADMIN_ONLY),
        new Call("GET", "/api/v1/keys", "/api/v1/keys", null, null, AUDIT),
        new Call("PATCH", "/api/v1/keys/{id}", "/api/v1/keys/999999", JSON, "{\"rate_limit\":null}", ADMIN_ONLY),
        new Call("DELETE", "/api/v1/keys/{id}", "/api/v1/keys/999999", null, null, ADMIN_ONLY),
        new Call("POST", "/api/v1/banks", "/api/v1/banks", JSON, "{}", CURATE),
        new Call("GET", "/api/v1/banks", "/api/v1/banks", null, null, BANK_READ_OR_COORDINATE),
        new Call("GET", "/api/v1/banks/{id}", "/api/v1/banks/" + bankId, null, null, BANK_READ_OR_COORDINATE),
        new Call("PATCH", "/api/v1/banks/{id}", "/api/v1/banks/999999", JSON, "{}", CURATE),
        new Call("DELETE", "/api/v1/banks/{id}", "/api/v1/banks/999999", null, null, CURATE),
        // A coordinator's key is refused on a bank that is no incident's, and admitted on an incident's.
        new Call("POST", "/api/v1/banks/{id}/entries", "/api/v1/banks/999999/entries", JSON, MD5, CURATE),
        new Call("POST", "/api/v1/banks/{id}/entries", "/api/v1/banks/" + incidentBankId + "/entries", JSON, MD5, CURATE_OR_COORDINATE),
        new Call("POST", "/api/v1/banks/{id}/entries/text", "/api/v1/banks/" + incidentBankId + "/entries/text", JSON, "{}",
            CURATE_OR_COORDINATE),
        new Call("GET", "/api/v1/banks/{id}/entries", "/api/v1/banks/" + bankId + "/entries", null, null, READ_OR_COORDINATE),
        new Call("POST", "/api/v1/banks/{id}/entries/batch", "/api/v1/banks/999999/entries/batch", JSON,
            "{\"entries\":[" + MD5 + "]}", CURATE),
        new Call("GET", "/api/v1/entries/{id}", "/api/v1/entries/" + entryId, null, null, READ_OR_COORDINATE),
        new Call("GET", "/api/v1/entries", "/api/v1/entries?label=attacker_manifesto", null, null, READ),
        new Call("GET", "/api/v1/entries/{id}/frames", "/api/v1/entries/" + entryId + "/frames", null, null, READ),
        new Call("GET", "/api/v1/entries/{id}/values/{type}", "/api/v1/entries/" + entryId + "/values/md5", null, null, READ),
        new Call("GET", "/api/v1/labels", "/api/v1/labels", null, null, STAFF),
        new Call("POST", "/api/v1/labels", "/api/v1/labels", JSON, "{\"name\":\"x\"}", ADMIN_ONLY),
        new Call("PATCH", "/api/v1/labels/{name}", "/api/v1/labels/no_such_label", JSON, "{\"description\":\"x\"}", ADMIN_ONLY),
        new Call("POST", "/api/v1/entries/{id}/disable", "/api/v1/entries/999999/disable", JSON, "{\"reason\":\"x\"}", CURATE_OR_COORDINATE),
        new Call("POST", "/api/v1/entries/{id}/enable", "/api/v1/entries/999999/enable", null, null, CURATE_OR_COORDINATE),
        new Call("DELETE", "/api/v1/entries/{id}", "/api/v1/entries/999999", null, null, CURATE_OR_COORDINATE),
        new Call("POST", "/api/v1/match", "/api/v1/match", JSON, MD5, MATCH),
        new Call("POST", "/api/v1/hash", "/api/v1/hash", "image/png", "not an image", MATCH),
        new Call("POST", "/api/v1/match/upload", "/api/v1/match/upload", "image/png", "not an image", MATCH),
        new Call("POST", "/api/v1/hash/url", "/api/v1/hash/url", JSON, "{\"url\":\"ftp://example.org/x\"}", MATCH),
        new Call("POST", "/api/v1/match/url", "/api/v1/match/url", JSON, "{\"url\":\"ftp://example.org/x\"}", MATCH),
        new Call("GET", "/api/v1/jobs/{id}", "/api/v1/jobs/999999", null, null, JOBS),
        new Call("POST", "/api/v1/match/batch", "/api/v1/match/batch", JSON, "{\"queries\":[" + MD5 + "]}", MATCH),
        new Call("POST", "/api/v1/banks/{id}/entries/upload", "/api/v1/banks/999999/entries/upload", "image/png", "not an image",
            CURATE),
        new Call("POST", "/api/v1/banks/{id}/entries/url", "/api/v1/banks/999999/entries/url", JSON,
            "{\"url\":\"ftp://example.org/x\"}", CURATE),
        new Call("GET", "/api/v1/jobs/{id}/frames", "/api/v1/jobs/999999/frames", null, null, JOBS),
        new Call("POST", "/api/v1/hash/text", "/api/v1/hash/text", JSON, "{}", MATCH),
        new Call("POST", "/api/v1/match/text", "/api/v1/match/text", JSON, "{}", MATCH),
        new Call("POST", "/api/v1/banks/{id}/entries/text", "/api/v1/banks/999999/entries/text", JSON, "{}", CURATE),
        new Call("GET", "/api/v1/audit", "/api/v1/audit", null, null, AUDIT),
        new Call("POST", "/api/v1/streams", "/api/v1/streams", JSON, "{\"window_seconds\":1}", MATCH),
        new Call("GET", "/api/v1/streams", "/api/v1/streams", null, null, MATCH),
        new Call("GET", "/api/v1/streams/{id}", "/api/v1/streams/999999", null, null, MATCH),
        new Call("POST", "/api/v1/streams/{id}/frames", "/api/v1/streams/999999/frames", JSON,
            "{\"frames\":[{\"pdq\":\"" + PDQ_ZERO + "\",\"at_seconds\":0}]}", MATCH),
        new Call("POST", "/api/v1/streams/{id}/frames/image", "/api/v1/streams/999999/frames/image?at_seconds=0", "image/png", "x", MATCH),
        new Call("POST", "/api/v1/streams/{id}/close", "/api/v1/streams/999999/close", null, null, MATCH),
        new Call("GET", "/api/v1/floods", "/api/v1/floods", null, null, READ),
        new Call("GET", "/api/v1/floods/{id}", "/api/v1/floods/999999", null, null, READ),
        new Call("POST", "/api/v1/floods/{id}/release", "/api/v1/floods/999999/release", JSON, "{\"reason\":\"spreading\"}", CURATE),
        new Call("POST", "/api/v1/floods/{id}/disable", "/api/v1/floods/999999/disable", JSON, "{\"reason\":\"a meme\"}", CURATE),
        new Call("GET", "/api/v1/discovery/settings", "/api/v1/discovery/settings", null, null, READ),
        new Call("PATCH", "/api/v1/discovery/settings", "/api/v1/discovery/settings", JSON, "{\"retention_hours\":0}", ADMIN_ONLY),
        new Call("POST", "/api/v1/discovery/run", "/api/v1/discovery/run", JSON, "{}", ADMIN_ONLY),
        new Call("GET", "/api/v1/proposals", "/api/v1/proposals", null, null, PROPOSALS_READ),
        new Call("GET", "/api/v1/proposals/{id}", "/api/v1/proposals/999999", null, null, PROPOSALS_READ),
        new Call("POST", "/api/v1/proposals/{id}/accept", "/api/v1/proposals/999999/accept", JSON, "{}", CURATE),
        new Call("POST", "/api/v1/proposals/{id}/reject", "/api/v1/proposals/999999/reject", JSON, "{\"reason\":\"a meme\"}", CURATE),
        new Call("GET", "/api/v1/audit/seals", "/api/v1/audit/seals", null, null, AUDIT),
        new Call("POST", "/api/v1/audit/seal", "/api/v1/audit/seal", null, null, AUDIT),
        new Call("GET", "/api/v1/audit/verification", "/api/v1/audit/verification", null, null, AUDIT),
        new Call("GET", "/api/v1/audit/archive", "/api/v1/audit/archive?through_seal=999999", null, null, AUDIT),
        new Call("POST", "/api/v1/audit/archive", "/api/v1/audit/archive", JSON, "{}", ADMIN_ONLY),
        new Call("POST", "/api/v1/backups", "/api/v1/backups", null, null, ADMIN_ONLY),
        new Call("GET", "/api/v1/backups", "/api/v1/backups", null, null, ADMIN_ONLY),
        new Call("GET", "/api/v1/federation/key", "/api/v1/federation/key", null, null, READ),
        new Call("POST", "/api/v1/federation/key/rotate", "/api/v1/federation/key/rotate", null, null, ADMIN_ONLY),
        new Call("POST", "/api/v1/feeds", "/api/v1/feeds", JSON, "{}", ADMIN_ONLY),
        new Call("GET", "/api/v1/feeds", "/api/v1/feeds", null, null, AUDIT),
        new Call("GET", "/api/v1/feeds/{id}", "/api/v1/feeds/999999", null, null, AUDIT),
        new Call("DELETE", "/api/v1/feeds/{id}", "/api/v1/feeds/999999", null, null, ADMIN_ONLY),
        new Call("POST", "/api/v1/feeds/{id}/peers", "/api/v1/feeds/999999/peers", JSON, "{\"name\":\"x\"}", ADMIN_ONLY),
        new Call("DELETE", "/api/v1/feeds/{id}/peers/{name}", "/api/v1/feeds/999999/peers/x", null, null, ADMIN_ONLY),
        new Call("GET", "/api/v1/feeds/{name}/pages", "/api/v1/feeds/none/pages", null, null, EnumSet.of(R.ADMIN, R.PEER)),
        new Call("GET", "/api/v1/feeds/{name}/updates", "/api/v1/feeds/none/updates", null, null, EnumSet.of(R.ADMIN, R.PEER)),
        new Call("POST", "/api/v1/feeds/{name}/opinions", "/api/v1/feeds/none/opinions", JSON,
            "{\"opinions\":[{\"signal_type\":\"md5\",\"signal\":\"" + "c".repeat(32) + "\",\"seen\":1}]}", EnumSet.of(R.PEER)),
        new Call("GET", "/api/v1/exchanges/kinds", "/api/v1/exchanges/kinds", null, null, READ),
        new Call("POST", "/api/v1/exchanges", "/api/v1/exchanges", JSON, "{}", ADMIN_ONLY),
        new Call("GET", "/api/v1/exchanges", "/api/v1/exchanges", null, null, READ_OR_COORDINATE),
        new Call("GET", "/api/v1/exchanges/{id}", "/api/v1/exchanges/999999", null, null, READ_OR_COORDINATE),
        new Call("POST", "/api/v1/incidents", "/api/v1/incidents", JSON, "{}", COORDINATE),
        new Call("GET", "/api/v1/incidents", "/api/v1/incidents", null, null, READ_OR_COORDINATE),
        new Call("GET", "/api/v1/incidents/{id}", "/api/v1/incidents/999999", null, null, READ_OR_COORDINATE),
        new Call("PATCH", "/api/v1/incidents/{id}", "/api/v1/incidents/999999", JSON, "{}", COORDINATE),
        new Call("GET", "/api/v1/incidents/{id}/timeline", "/api/v1/incidents/999999/timeline", null, null, READ_OR_COORDINATE),
        new Call("GET", "/api/v1/incidents/{id}/figures", "/api/v1/incidents/999999/figures", null, null, READ_OR_COORDINATE),
        new Call("GET", "/api/v1/incidents/{id}/charts/matches.png", "/api/v1/incidents/999999/charts/matches.png", null, null, READ_OR_COORDINATE),
        new Call("GET", "/api/v1/incidents/{id}/charts/peers.png", "/api/v1/incidents/999999/charts/peers.png", null, null, READ_OR_COORDINATE),
        new Call("GET", "/api/v1/incidents/{id}/debrief", "/api/v1/incidents/999999/debrief", null, null, READ_OR_COORDINATE),
        new Call("GET", "/api/v1/incidents/{id}/debrief.html", "/api/v1/incidents/999999/debrief.html", null, null, READ_OR_COORDINATE),
        new Call("GET", "/api/v1/incidents/{id}/debrief.pdf", "/api/v1/incidents/999999/debrief.pdf", null, null, READ_OR_COORDINATE),
        new Call("POST", "/api/v1/incidents/{id}/accept", "/api/v1/incidents/999999/accept", null, null, COORDINATE),
        new Call("POST", "/api/v1/incidents/{id}/decline", "/api/v1/incidents/999999/decline", null, null, COORDINATE),
        new Call("GET", "/api/v1/order-authorities", "/api/v1/order-authorities", null, null, ORDERS_READ),
        new Call("POST", "/api/v1/order-authorities", "/api/v1/order-authorities", JSON, "{}", ADMIN_ONLY),
        new Call("GET", "/api/v1/order-authorities/{id}", "/api/v1/order-authorities/999999", null, null, ORDERS_READ),
        new Call("PATCH", "/api/v1/order-authorities/{id}", "/api/v1/order-authorities/999999", JSON, "{}", ADMIN_ONLY),
        new Call("GET", "/api/v1/orders/exposure", "/api/v1/orders/exposure", null, null, ORDERS_READ),
        new Call("POST", "/api/v1/orders", "/api/v1/orders", JSON, "{}", COORDINATE),
        new Call("GET", "/api/v1/orders", "/api/v1/orders", null, null, ORDERS_READ),
        new Call("GET", "/api/v1/orders/{id}", "/api/v1/orders/999999", null, null, ORDERS_READ),
        new Call("PUT", "/api/v1/orders/{id}/document", "/api/v1/orders/999999/document", "application/pdf", "%PDF-1.4", COORDINATE),
        new Call("GET", "/api/v1/orders/{id}/document", "/api/v1/orders/999999/document", null, null, ORDERS_READ),
        new Call("POST", "/api/v1/orders/{id}/removal", "/api/v1/orders/999999/removal", JSON, "{}", COORDINATE),
        new Call("POST", "/api/v1/orders/{id}/not-complied", "/api/v1/orders/999999/not-complied", JSON, "{}", COORDINATE),
        new Call("POST", "/api/v1/orders/{id}/resume", "/api/v1/orders/999999/resume", JSON, "{}", COORDINATE),
        new Call("POST", "/api/v1/orders/{id}/complaints", "/api/v1/orders/999999/complaints", JSON, "{}", COORDINATE),
        new Call("POST", "/api/v1/orders/{id}/complaints/{complaint_id}/decision", "/api/v1/orders/999999/complaints/1/decision", JSON, "{}",
            COORDINATE),
        new Call("POST", "/api/v1/orders/{id}/final", "/api/v1/orders/999999/final", null, null, COORDINATE),
        new Call("POST", "/api/v1/orders/{id}/holds", "/api/v1/orders/999999/holds", JSON, "{}", COORDINATE),
        new Call("GET", "/api/v1/federation/incidents", "/api/v1/federation/incidents", null, null, EnumSet.of(R.ADMIN, R.PEER)),
        new Call("PATCH", "/api/v1/exchanges/{id}", "/api/v1/exchanges/999999", JSON, "{}", ADMIN_ONLY),
        new Call("DELETE", "/api/v1/exchanges/{id}", "/api/v1/exchanges/999999", null, null, ADMIN_ONLY),
        new Call("POST", "/api/v1/exchanges/{id}/fetch", "/api/v1/exchanges/999999/fetch", null, null, CURATE),
        new Call("POST", "/api/v1/exchanges/{id}/opinions", "/api/v1/exchanges/999999/opinions", JSON,
            "{\"signal_type\":\"pdq\",\"signal\":\"x\",\"opinion\":\"saw_this_too\"}", CURATE),
        new Call("POST", "/api/v1/exchanges/{id}/verify", "/api/v1/exchanges/999999/verify", JSON,
            "{\"signals\":[{\"signal_type\":\"pdq\",\"signal\":\"x\"}]}", EnumSet.of(R.ADMIN, R.CURATOR, R.REVIEWER)),
        new Call("POST", "/api/v1/webhooks", "/api/v1/webhooks", JSON, "{}", ADMIN_ONLY),
        new Call("GET", "/api/v1/webhooks", "/api/v1/webhooks", null, null, ADMIN_ONLY),
        new Call("GET", "/api/v1/webhooks/{id}", "/api/v1/webhooks/999999", null, null, ADMIN_ONLY),
        new Call("PATCH", "/api/v1/webhooks/{id}", "/api/v1/webhooks/999999", JSON, "{}", ADMIN_ONLY),
        new Call("DELETE", "/api/v1/webhooks/{id}", "/api/v1/webhooks/999999", null, null, ADMIN_ONLY),
        new Call("POST", "/api/v1/webhooks/{id}/rotate-secret", "/api/v1/webhooks/999999/rotate-secret", null, null, ADMIN_ONLY),
        new Call("POST", "/api/v1/webhooks/{id}/test", "/api/v1/webhooks/999999/test", null, null, ADMIN_ONLY),
        new Call("GET", "/api/v1/webhooks/deliveries", "/api/v1/webhooks/deliveries?status=dead", null, null, AUDIT),
        new Call("POST", "/api/v1/webhooks/deliveries/{id}/replay", "/api/v1/webhooks/deliveries/999999/replay", null, null,
            ADMIN_ONLY),
        new Call("GET", "/api/v1/accounts/{account}", "/api/v1/accounts/someone", null, null,
            EnumSet.of(R.ADMIN, R.REVIEWER, R.AUDITOR)),
        new Call("POST", "/api/v1/accounts/{account}/takeover", "/api/v1/accounts/someone/takeover", JSON, "{}", REVIEW),
        new Call("GET", "/api/v1/rules", "/api/v1/rules", null, null, READ_OR_COORDINATE),
        new Call("GET", "/api/v1/rules/{id}", "/api/v1/rules/999999", null, null, READ_OR_COORDINATE),
        new Call("POST", "/api/v1/rules", "/api/v1/rules", JSON, "{}", CURATE),
        new Call("PATCH", "/api/v1/rules/{id}", "/api/v1/rules/999999", JSON, "{}", CURATE),
        new Call("DELETE", "/api/v1/rules/{id}", "/api/v1/rules/999999", null, null, CURATE),
        new Call("POST", "/api/v1/rules/evaluate", "/api/v1/rules/evaluate", JSON, "{}", CURATE),
        new Call("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", null, null, STAFF),
        new Call("GET", "/h/hash", "/h/hash?url=http://127.0.0.1:1/x.png", null, null, MATCH),
        new Call("POST", "/h/hash", "/h/hash", "multipart/form-data; boundary=x", "--x--\r\n", MATCH),
        new Call("GET", "/m/raw_lookup", "/m/raw_lookup?signal_type=pdq&signal=" + PDQ_ZERO, null, null, MATCH),
        new Call("GET", "/m/lookup", "/m/lookup?signal_type=pdq&signal=" + PDQ_ZERO, null, null, MATCH),
        new Call("POST", "/m/lookup", "/m/lookup", "multipart/form-data; boundary=x", "--x--\r\n", MATCH),
        new Call("POST", "/m/compare", "/m/compare", JSON, "{\"pdq\":[\"" + PDQ_ZERO + "\",\"" + PDQ_ZERO + "\"]}", MATCH),
        new Call("GET", "/m/index/status", "/m/index/status", null, null, HMA_READ),
        new Call("GET", "/c/banks", "/c/banks", null, null, HMA_READ),
        new Call("POST", "/c/banks", "/c/banks", JSON, "{}", CURATE),
        new Call("GET", "/c/bank/{name}", "/c/bank/NO_SUCH_BANK", null, null, HMA_READ),
        new Call("PUT", "/c/bank/{name}", "/c/bank/NO_SUCH_BANK", JSON, "{}", CURATE),
        new Call("DELETE", "/c/bank/{name}", "/c/bank/NO_SUCH_BANK", null, null, CURATE),
        new Call("POST", "/c/bank/{name}/content", "/c/bank/NO_SUCH_BANK/content", JSON, "{}", CURATE),
        new Call("GET", "/c/bank/{name}/content/{id}", "/c/bank/NO_SUCH_BANK/content/1", null, null, READ),
        new Call("PUT", "/c/bank/{name}/content/{id}", "/c/bank/NO_SUCH_BANK/content/1", JSON, "{}", CURATE),
        new Call("DELETE", "/c/bank/{name}/content/{id}", "/c/bank/NO_SUCH_BANK/content/1", null, null, CURATE),
        new Call("POST", "/c/bank/{name}/signal", "/c/bank/NO_SUCH_BANK/signal", JSON, "{}", CURATE),
        new Call("GET", "/c/signal_type", "/c/signal_type", null, null, HMA_READ),
        new Call("GET", "/c/content_type", "/c/content_type", null, null, HMA_READ),
        new Call("GET", "/c/exchanges", "/c/exchanges", null, null, READ),
        new Call("GET", "/c/exchanges/apis", "/c/exchanges/apis", null, null, READ),
        new Call("POST", "/c/exchanges", "/c/exchanges", JSON, "{}", ADMIN_ONLY),
        new Call("GET", "/c/exchange/{name}", "/c/exchange/NO_SUCH", null, null, READ),
        new Call("GET", "/c/exchange/{name}/status", "/c/exchange/NO_SUCH/status", null, null, READ),
        new Call("PUT", "/c/exchange/{name}", "/c/exchange/NO_SUCH", JSON, "{}", ADMIN_ONLY),
        new Call("DELETE", "/c/exchange/{name}", "/c/exchange/NO_SUCH", null, null, ADMIN_ONLY),
        new Call("POST", "/api/v1/hma/import", "/api/v1/hma/import?dry_run=true", JSON, "{\"bank\":\"X\",\"contents\":[]}", ADMIN_ONLY),
        new Call("GET", "/api/v1/cases", "/api/v1/cases", null, null, EnumSet.of(R.ADMIN, R.REVIEWER, R.AUDITOR)),
        new Call("GET", "/api/v1/cases/{id}", "/api/v1/cases/999999", null, null, EnumSet.of(R.ADMIN, R.REVIEWER, R.AUDITOR)),
        new Call("POST", "/api/v1/cases/{id}/claim", "/api/v1/cases/999999/claim", null, null, REVIEW),
        new Call("POST", "/api/v1/cases/{id}/release", "/api/v1/cases/999999/release", null, null, REVIEW),
        new Call("POST", "/api/v1/cases/{id}/decision", "/api/v1/cases/999999/decision", JSON,
            "{\"outcome\":\"confirm\",\"reason\":\"x\",\"policy\":\"y\"}", REVIEW),
        new Call("POST", "/api/v1/appeals", "/api/v1/appeals", JSON, "{\"content_id\":\"none\",\"statement\":\"x\"}", MATCH),
        new Call("GET", "/api/v1/appeals", "/api/v1/appeals", null, null, EnumSet.of(R.ADMIN, R.REVIEWER, R.AUDITOR)),
        new Call("GET", "/api/v1/appeals/{id}", "/api/v1/appeals/999999", null, null, EnumSet.of(R.ADMIN, R.REVIEWER, R.AUDITOR)),
        new Call("POST", "/api/v1/reports", "/api/v1/reports", JSON, "{}", MATCH),
        new Call("GET", "/api/v1/reports", "/api/v1/reports", null, null, REPORTS_READ),
        new Call("GET", "/api/v1/reports/{id}", "/api/v1/reports/999999", null, null, REPORTS_READ),
        new Call("GET", "/api/v1/cases/{id}/reports", "/api/v1/cases/999999/reports", null, null, EnumSet.of(R.ADMIN, R.REVIEWER, R.AUDITOR)),
        new Call("GET", "/api/v1/transparency/preview", "/api/v1/transparency/preview?from=2026-01-01&to=2026-02-01", null, null, AUDIT),
        new Call("GET", "/api/v1/transparency/preview.html", "/api/v1/transparency/preview.html?from=2026-01-01&to=2026-02-01", null, null,
            AUDIT),
        new Call("POST", "/api/v1/transparency-reports", "/api/v1/transparency-reports", JSON, "{}", ADMIN_ONLY),
        new Call("GET", "/api/v1/transparency-reports", "/api/v1/transparency-reports", null, null, AUDIT),
        new Call("GET", "/api/v1/transparency-reports/{id}", "/api/v1/transparency-reports/999999", null, null, AUDIT),
        new Call("GET", "/api/v1/transparency-reports/{id}/report.csv", "/api/v1/transparency-reports/999999/report.csv", null, null, AUDIT),
        new Call("GET", "/api/v1/transparency-reports/{id}/report.html", "/api/v1/transparency-reports/999999/report.html", null, null, AUDIT),
        new Call("GET", "/api/v1/transparency-reports/{id}/report.pdf", "/api/v1/transparency-reports/999999/report.pdf", null, null, AUDIT),
        new Call("GET", "/api/v1/transparency-reports/{id}/dsa/{sheet}", "/api/v1/transparency-reports/999999/dsa/4_notices.csv", null, null,
            AUDIT),
        new Call("GET", "/api/v1/transparency-reports/{id}/verification", "/api/v1/transparency-reports/999999/verification", null, null,
            AUDIT),
        // Statements of reasons cover every restriction, not only a coordinator's orders: admins and auditors read them.
        new Call("GET", "/api/v1/decisions/{id}/statement-of-reasons", "/api/v1/decisions/999999/statement-of-reasons", null, null, AUDIT),
        new Call("GET", "/api/v1/cases/{id}/statement-of-reasons", "/api/v1/cases/999999/statement-of-reasons", null, null, AUDIT),
        new Call("GET", "/api/v1/orders/{id}/statement-of-reasons", "/api/v1/orders/999999/statement-of-reasons", null, null, AUDIT),
        new Call("GET", "/api/v1/statements-of-reasons", "/api/v1/statements-of-reasons?from=2026-01-02&to=2026-01-01", null, null, AUDIT),
        new Call("GET", "/api/v1/submissions", "/api/v1/submissions?content_id=none", null, null,
            EnumSet.of(R.ADMIN, R.MATCHER, R.REVIEWER, R.AUDITOR)),
        new Call("GET", "/api/v1/submissions/{id}", "/api/v1/submissions/999999", null, null,
            EnumSet.of(R.ADMIN, R.MATCHER, R.REVIEWER, R.AUDITOR)),
        new Call("GET", "/api/v1/submissions/{id}/media", "/api/v1/submissions/999999/media", null, null, REVIEW),
        new Call("GET", "/metrics", "/metrics", null, null, STAFF),
        new Call("POST", "/api/v1/users", "/api/v1/users", JSON, "{\"username\":\"x\"}", ADMIN_ONLY),
        new Call("GET", "/api/v1/users", "/api/v1/users", null, null, AUDIT),
        new Call("DELETE", "/api/v1/users/{id}", "/api/v1/users/999999", null, null, ADMIN_ONLY));
  }

  @TempDir static Path dataDir;
  static CountersignalServer server;
  static Api api;
  static final Map<R, String> keys = new java.util.EnumMap<>(R.class);
  static String revokedKey;
  static long bankId;
  static long entryId;
  static long incidentBankId;

  @BeforeAll
  static void start() {
    server = TestServers.start(dataDir);
    api = new Api(server.port());
    String admin = server.initialAdminKey().orElseThrow();
    keys.put(R.ADMIN, admin);
    for (R role : List.of(R.CURATOR, R.MATCHER, R.AUDITOR, R.REVIEWER, R.PEER, R.COORDINATOR)) {
      keys.put(role, TestServers.key(api, admin, role.name().toLowerCase()));
    }
    bankId = api.post("/api/v1/banks", admin, "{\"name\":\"auth\"}").json().get("id").asLong();
    entryId = api.post("/api/v1/banks/" + bankId + "/entries", admin, MD5).json().get("id").asLong();
    incidentBankId = api.post("/api/v1/incidents", admin, "{\"name\":\"auth\",\"kind\":\"manifesto\",\"level\":\"incident\"}")
        .json().get("bank_id").asLong();
    Api.Response created = api.post("/api/v1/keys", admin, "{\"role\":\"admin\"}");
    revokedKey = created.json().get("key").asText();
    assertThat(api.delete("/api/v1/keys/" + created.json().get("id").asLong(), admin).status()).isEqualTo(204);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Stream<Arguments> everyCallAndRole() {
    List<Arguments> out = new ArrayList<>();
    for (Call call : calls()) {
      for (R role : R.values()) {
        out.add(Arguments.of(call, role));
      }
    }
    return out.stream();
  }

  static Api.Response send(Call call, String key) {
    return api.send(call.method(), call.path(), key, call.contentType(), call.body() == null ? null : call.body().getBytes());
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("everyCallAndRole")
  void roleIsAdmittedExactlyWhereTheTableSays(Call call, R role) {
    Api.Response response = send(call, keys.get(role));
    if (call.allowed().contains(role)) {
      assertThat(response.status()).as(response.header()).isNotIn(401, 403).isLessThan(500);
    } else {
      assertThat(response.status()).as(response.header()).isEqualTo(403);
      assertThat(response.contentType()).startsWith("application/problem+json");
    }
  }

  static Stream<Call> everyCall() {
    return calls().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCall")
  void noKeyBadKeyAndRevokedKeyAre401(Call call) {
    for (String key : new String[] {null, "cs_not-a-real-key", "something-else", revokedKey}) {
      Api.Response response = send(call, key);
      assertThat(response.status()).as("key %s: %s", key, response.header()).isEqualTo(401);
      assertThat(response.contentType()).startsWith("application/problem+json");
    }
  }

  @Test
  void theTableCoversEveryRouteOfTheServer() {
    Set<String> table = new java.util.TreeSet<>();
    for (Call call : calls()) {
      table.add(call.method() + " " + call.template());
    }
    Set<String> routed = new java.util.TreeSet<>();
    for (var route : server.routes()) {
      // The console: ConsoleSignInTest; HMA's status checks answer load balancers without a key, as /health does.
      if (!route.path().startsWith("/health") && !route.path().startsWith("/console") && !route.path().startsWith("/status")) {
        routed.add(route.method() + " " + route.path());
      }
    }
    assertThat(table).isEqualTo(routed);
  }

  @Test
  void unknownApiPathsNeedAKeyToo() {
    assertThat(api.get("/api/v1/secret-admin-thing", null).status()).isEqualTo(401);
  }

  @Test
  void healthNeedsNoKey() {
    assertThat(api.get("/health/live", null).status()).isEqualTo(200);
    Api.Response ready = api.get("/health/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("status").asText()).isEqualTo("ready");
    assertThat(api.get("/status", null).body()).isEqualTo("I-AM-ALIVE");
    assertThat(api.get("/status/live", null).body()).isEqualTo("I-AM-ALIVE");
  }

  @Test
  void keysAreListedWithoutSecretsAndStoredOnlyAsHashes() throws Exception {
    String secret = keys.get(R.MATCHER);
    Api.Response list = api.get("/api/v1/keys", keys.get(R.AUDITOR));
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(secret);
    assertThat(list.json().get("items")).anySatisfy(k -> assertThat(k.get("role").asText()).isEqualTo("matcher"));
    assertThat(secret).startsWith("cs_");
    // 32 random bytes in URL-safe base64 without padding are 43 characters.
    assertThat(secret.substring(3)).hasSize(43).matches("[A-Za-z0-9_-]+");
    server.close();
    try {
      String text = TestServers.storedKeyData(dataDir);
      assertThat(text).doesNotContain(secret.substring(3));
      String hash = java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(text).contains(hash);
    } finally {
      server = TestServers.start(dataDir);
      api = new Api(server.port());
    }
  }
}
