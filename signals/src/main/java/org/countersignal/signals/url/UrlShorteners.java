package org.countersignal.signals.url;

import java.util.Set;

/** Well-known link shorteners: a match on them says nothing until the link is resolved. */
public final class UrlShorteners {

  // Hosts whose links only redirect elsewhere. Not link-in-bio pages (linktr.ee) or channel
  // links (t.me): their pages are content in their own right and can be banked as they are.
  private static final Set<String> HOSTS = Set.of(
      "bit.ly", "bitly.com", "j.mp", "bit.do", "t.co", "tinyurl.com", "tiny.one", "goo.gl", "ow.ly",
      "is.gd", "v.gd", "buff.ly", "cutt.ly", "rebrand.ly", "t.ly", "shorturl.at", "tiny.cc", "rb.gy",
      "s.id", "lnkd.in", "dlvr.it", "trib.al", "bl.ink", "qr.ae", "adf.ly", "db.tt", "amzn.to",
      "fb.me", "ift.tt", "wp.me", "youtu.be", "soo.gd", "clck.ru", "vk.cc", "u.to", "x.co",
      "shorte.st", "ouo.io", "tny.im", "snip.ly", "po.st", "mcaf.ee", "su.pr", "tr.im", "cli.gs",
      "short.io", "shorturl.com", "surl.li", "zpr.io", "2no.co", "urlz.fr", "ln.run", "gg.gg",
      "tinu.be");

  private UrlShorteners() {}

  /** True for a known shortener host (canonical form, so already lowercase without www.). */
  public static boolean isShortener(String host) {
    return HOSTS.contains(host);
  }
}
