/**
 * A photo URL from the CRM is followed only when it is http(s) and on an allowed host: a host listed as
 * "cdn.cvety.kz" matches itself, ".cvety.kz" also its subdomains. Anything else (file:, data:, internal
 * addresses) is refused before it reaches a fetch or a chat.
 */
export function isAllowedPhotoUrl(text: string, hosts: string[]): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return hosts.some((allowed) => {
    const name = allowed.toLowerCase();
    return name.startsWith('.') ? host.endsWith(name) || host === name.slice(1) : host === name;
  });
}
