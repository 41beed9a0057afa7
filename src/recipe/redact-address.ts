// An address as it may be shown (a plan, provenance, a log): a password in the URL (http://user:secret@host) never
// reaches a log or a message.
export function redactAddress(address: string): string {
  return address.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}
