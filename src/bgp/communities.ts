// Well-known BGP communities (IANA "BGP Well-known Communities", the 65535:x block). `communities` stays
// numeric ("65535:65281") in JSON and line output — filters, RIS Live and bgpkit match the numbers, and
// operators grep for "65535:666" as often as for "BLACKHOLE" — and the human output adds the name.

/** Names by "asn:value" text, as the COMMUNITIES decoder writes them. */
export const WELL_KNOWN_COMMUNITIES: Readonly<Record<string, string>> = {
  '65535:0': 'GRACEFUL_SHUTDOWN', // RFC 8326
  '65535:1': 'ACCEPT_OWN', // RFC 7611
  '65535:2': 'ROUTE_FILTER_TRANSLATED_v4', // draft-l3vpn-legacy-rtc
  '65535:3': 'ROUTE_FILTER_v4',
  '65535:4': 'ROUTE_FILTER_TRANSLATED_v6',
  '65535:5': 'ROUTE_FILTER_v6',
  '65535:6': 'LLGR_STALE', // RFC 9494
  '65535:7': 'NO_LLGR', // RFC 9494
  '65535:8': 'ACCEPT_OWN_NEXTHOP', // draft-agrewal-idr-accept-own-nexthop
  '65535:9': 'STANDBY_PE', // RFC 9026
  '65535:666': 'BLACKHOLE', // RFC 7999
  '65535:65281': 'NO_EXPORT', // RFC 1997
  '65535:65282': 'NO_ADVERTISE', // RFC 1997
  '65535:65283': 'NO_EXPORT_SUBCONFED', // RFC 1997
  '65535:65284': 'NOPEER', // RFC 3765
};

/** The well-known name of a community given as "asn:value", or undefined. */
export function communityName(text: string): string | undefined {
  return text.startsWith('65535:') ? WELL_KNOWN_COMMUNITIES[text] : undefined;
}
