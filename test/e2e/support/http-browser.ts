/**
 * A browser reduced to what a redirect-based sign-in needs: it follows
 * redirects one by one and keeps the cookies each host sets (by host, path
 * ignored), so a test can drive an OpenID sign-in over plain HTTP and stop
 * where it wants to look (or tamper).
 */
export class HttpBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  /** One request, no redirect followed; the cookies it sets are kept. */
  async get(url: string): Promise<Response> {
    const host = new URL(url).host;
    const cookies = [...(this.jar.get(host) ?? new Map<string, string>())]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    const response = await fetch(url, {
      redirect: 'manual',
      headers: cookies ? { cookie: cookies } : {},
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const hostCookies = this.jar.get(host) ?? new Map<string, string>();
      // An expiring Set-Cookie (cleared cookie) removes it, as a browser would.
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) hostCookies.delete(name);
      else hostCookies.set(name, value);
      this.jar.set(host, hostCookies);
    }
    return response;
  }

  /** Follows redirects from `url` until one points where `stop` says; answers that URL, unvisited. */
  async followUntil(url: string, stop: (next: URL) => boolean, maxHops = 10): Promise<string> {
    let current = url;
    for (let hop = 0; hop < maxHops; hop++) {
      const response = await this.get(current);
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        throw new Error(`${current} answered ${response.status} instead of a redirect`);
      }
      const next = new URL(location, current);
      if (stop(next)) return next.toString();
      current = next.toString();
    }
    throw new Error(`more than ${maxHops} redirects from ${url}`);
  }

  /** Puts a cookie back (as an attacker who copied it would). */
  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    this.jar.set(host, (this.jar.get(host) ?? new Map<string, string>()).set(name, value));
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(name);
  }
}
