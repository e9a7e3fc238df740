package org.countersignal.cli.feed;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.HttpBackend;
import org.countersignal.cli.admin.ServerTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code countersignal feed ...}: the banks a running server publishes to other instances, and who may read them. */
@Command(
    name = "feed",
    mixinStandardHelpOptions = true,
    description = {
        "Feeds: a local bank this instance publishes to named peers, other Countersignal instances. Each peer reads the"
            + " bank's changes with a key of its own; every page is signed with this instance's key (`feed key`), which"
            + " the peer pins. On a running server only (--server URL with --key, or $COUNTERSIGNAL_SERVER and"
            + " $COUNTERSIGNAL_KEY), never --data-dir. Admin keys publish feeds and add or remove peers; auditor keys"
            + " read them.",
        "The peer follows the feed with an exchange: countersignal exchange create NAME --kind countersignal --config"
            + " '{\"url\":\"https://this.instance.example/\",\"feed\":\"FEED\",\"public_key\":\"KEY\"}' --credentials-file"
            + " FILE, where FILE holds the line key=PEER-KEY.",
        "A feed is named by its id or its name. list and show print a summary; --json prints the API's JSON, one object a"
            + " line.",
        "Exit codes: 0 done, 2 bad input, 1 failed (server unreachable, key refused, conflict)."
    },
    subcommands = {
        FeedCommand.Key.class,
        FeedCommand.ListFeeds.class,
        FeedCommand.Show.class,
        FeedCommand.Create.class,
        FeedCommand.Delete.class,
        PeerAddCommand.class,
        FeedCommand.PeerRemove.class,
    })
public final class FeedCommand implements Runnable {

  /** Why --data-dir is refused. */
  static final String NEEDS_SERVER = "feeds are served, and their pages signed, by a running server";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing subcommand: key, list, show, create, delete, peer-add or peer-remove");
  }

  /** The feed {@code reference} names: an id, or else a name. */
  static JsonNode resolve(HttpBackend server, String reference) {
    String text = reference.strip();
    if (text.matches("\\d{1,18}")) {
      JsonNode feed = server.feedById(Long.parseLong(text));
      if (feed != null) {
        return feed;
      }
    }
    for (JsonNode feed : server.listFeeds()) {
      if (feed.path("name").asText().equals(text)) {
        return feed;
      }
    }
    throw CliException.badInput("no feed '" + text + "' at " + server.where() + " (give a feed id or name; `feed list` shows them)");
  }

  /** A feed as a summary, or as the API's JSON. */
  static void print(CommandSpec spec, JsonNode feed, boolean json) {
    if (json) {
      Commands.print(spec, feed);
    } else {
      FeedText.summary(spec.commandLine().getOut(), feed);
    }
  }

  static void note(CommandSpec spec, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": " + message);
    err.flush();
  }

  /** {@code feed key}. */
  @Command(name = "key", mixinStandardHelpOptions = true,
      description = "This instance's public key, which signs every feed page: printed alone on one line (base64) for the"
          + " operators of its peers to pin, as public_key in their exchange's --config.")
  static final class Key implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Option(names = "--json", description = "The API's JSON: the algorithm and the key.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        JsonNode key = server.federationKey();
        if (json) {
          Commands.print(spec, key);
        } else {
          spec.commandLine().getOut().println(key.path("public_key").asText());
        }
        return 0;
      });
    }
  }

  /** {@code feed list}. */
  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Every feed, a line each: id, name, the bank it publishes, its peers, when it was made.")
  static final class ListFeeds implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Option(names = "--json", description = "The API's JSON, one feed a line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        List<JsonNode> feeds = server.listFeeds();
        if (json) {
          feeds.forEach(feed -> Commands.print(spec, feed));
        } else if (feeds.isEmpty()) {
          note(spec, "no feeds at " + server.where() + " (`feed create` makes one)");
        } else {
          FeedText.table(spec.commandLine().getOut(), feeds);
        }
        return 0;
      });
    }
  }

  /** {@code feed show ID|NAME}. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "A feed: the bank it publishes and its peers (never their keys).")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Parameters(paramLabel = "ID|NAME", description = "The feed's id or name.")
    String feed;

    @Option(names = "--json", description = "The API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        print(spec, resolve(server, feed), json);
        return 0;
      });
    }
  }

  /** {@code feed create NAME --bank BANK}: prints the new feed. */
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Publish a bank as a feed (admin); it has no peers until `feed peer-add`. A red bank is refused, and so"
          + " is a bank that follows an exchange unless its source shared it green or clear. Prints the feed as `feed show` does.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Parameters(paramLabel = "NAME",
        description = "The feed's name (unique; lower-case letters, digits, '_', '.' and '-'), which its peers give as feed.")
    String name;

    @Option(names = "--bank", required = true, paramLabel = "BANK", description = "The bank it publishes: its id or name.")
    String bank;

    @Option(names = "--label", paramLabel = "LABEL",
        description = "Publish only the entries that carry this label (repeat for several: any of them); every entry when none.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        long bankId = server.resolveBank(bank).path("id").asLong();
        print(spec, server.createFeed(name, bankId, labels), json);
        return 0;
      });
    }
  }

  /** {@code feed delete ID|NAME}. */
  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Stop publishing a feed: its peers' keys are revoked at once. The bank and its entries stay.")
  static final class Delete implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Parameters(paramLabel = "ID|NAME", description = "The feed's id or name.")
    String feed;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        JsonNode deleted = resolve(server, feed);
        server.deleteFeed(deleted.path("id").asLong());
        String peers = FeedText.peerNames(deleted);
        note(spec, "feed " + deleted.path("id").asText() + " (" + deleted.path("name").asText() + ") deleted; "
            + (peers.isEmpty() ? "it had no peers" : "the keys of its peers (" + peers + ") are revoked") + "; its bank '"
            + deleted.path("bank_name").asText() + "' and its entries stay");
        return 0;
      });
    }
  }

  /** {@code feed peer-remove ID|NAME PEER}. */
  @Command(name = "peer-remove", mixinStandardHelpOptions = true,
      description = "Remove a peer from a feed (admin): its key is revoked at once and reads nothing more. What it has"
          + " already fetched stays with it.")
  static final class PeerRemove implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ServerTarget target;

    @Parameters(index = "0", paramLabel = "ID|NAME", description = "The feed's id or name.")
    String feed;

    @Parameters(index = "1", paramLabel = "PEER", description = "The peer's name (`feed show` lists them).")
    String peer;

    @Override
    public Integer call() throws Exception {
      return Commands.run(spec, target, NEEDS_SERVER, server -> {
        JsonNode from = resolve(server, feed);
        String name = peer.strip();
        // Checked here so that a typo names the peers there are, not just "not found".
        boolean known = false;
        for (JsonNode each : from.path("peers")) {
          known |= each.path("name").asText().equals(name);
        }
        if (!known) {
          String peers = FeedText.peerNames(from);
          throw CliException.badInput("feed '" + from.path("name").asText() + "' has no peer '" + name + "' ("
              + (peers.isEmpty() ? "it has none" : "its peers: " + peers) + ")");
        }
        server.removePeer(from.path("id").asLong(), name);
        note(spec, "peer '" + name + "' removed from feed '" + from.path("name").asText() + "'; its key is revoked");
        return 0;
      });
    }
  }
}
