package org.countersignal.cli.feed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.ServerTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code feed peer-add ID|NAME PEER}: prints the peer's new key alone on stdout, so that it can be
 * captured, and what the peer's operator needs with it on stderr. The server shows the key only
 * in this answer, so it is printed exactly once and nowhere else.
 */
@Command(name = "peer-add", mixinStandardHelpOptions = true,
    description = {
        "Let another instance read a feed (admin): makes the peer a key of its own, which reads this feed's pages and"
            + " nothing else.",
        "The key is printed alone on stdout and shown only this once; capture it, e.g."
            + " (umask 077; countersignal feed peer-add to-b org-b > org-b.key). What to do with it goes to stderr: the"
            + " peer's operator needs the key together with this instance's URL (as the peer reaches it), the feed's"
            + " name and this instance's public key (`feed key`), for their `exchange create --kind countersignal`, the"
            + " key in a credentials file as key=PEER-KEY.",
        "`feed peer-remove` revokes the key."
    })
final class PeerAddCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin ServerTarget target;

  @Parameters(index = "0", paramLabel = "ID|NAME", description = "The feed's id or name.")
  String feed;

  @Parameters(index = "1", paramLabel = "PEER",
      description = "The peer's name (unique in the feed; lower-case letters, digits, '_', '.' and '-'), e.g. the other"
          + " organisation's.")
  String peer;

  @Option(names = "--json", description = "Print the API's JSON instead of the key alone (it holds the key as key).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    return Commands.run(spec, target, FeedCommand.NEEDS_SERVER, server -> {
      JsonNode to = FeedCommand.resolve(server, feed);
      JsonNode added = server.addPeer(to.path("id").asLong(), peer);
      if (json) {
        Commands.print(spec, added);
      } else {
        spec.commandLine().getOut().println(added.path("key").asText());
      }
      spec.commandLine().getOut().flush();
      String feedName = added.path("feed").asText();
      FeedCommand.note(spec, "peer '" + added.path("name").asText() + "' added to feed '" + feedName + "' (key id "
          + added.path("key_id").asText() + "); its key, on stdout, will not be shown again");
      FeedCommand.note(spec, "the peer's operator needs that key with this instance's URL (as the peer reaches it), the feed"
          + " name '" + feedName + "' and this instance's public key (`countersignal feed key`) to follow the feed with"
          + " `countersignal exchange create NAME --kind countersignal`");
      return 0;
    });
  }
}
