// NOTIFICATION (RFC 4271 §4.5): every IANA code and subcode name, the data shapes RFCs give (RFC 8538 Hard
// Reset, RFC 4486 §4 prefix limit, RFC 5492 §3 unsupported capabilities, RFC 8203/9003 shutdown
// communication), and the corpus NOTIFICATIONs against tshark 4.0 and tcpdump's expected output.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/bgp/decode.js';
import type { NotificationMessage } from '../../src/bgp/model.js';
import { AS4, bgp, hexOf } from './helpers.js';
import { find, hasTshark, tsharkMessages } from './tshark.js';

const notif = (...body: string[]) => decodeMessage(bgp(3, ...body), AS4);
const msg = (...body: string[]) => notif(...body).msg as NotificationMessage;
const h2 = (n: number) => n.toString(16).padStart(2, '0');

describe('IANA "BGP Error (Notification) Codes" and "BGP Error Subcodes"', () => {
  // Subcode 0 is "Unspecific" (RFC 4271 §4.5) where IANA lists it as Reserved; FSM subcode 0 is RFC 6608's
  // "Unspecified Error".
  const TABLE: [number, string, Record<number, string>][] = [
    [1, 'Message Header Error', { 0: 'Unspecific', 1: 'Connection Not Synchronized', 2: 'Bad Message Length', 3: 'Bad Message Type' }], // RFC 4271 §6.1
    [
      2,
      'OPEN Message Error', // RFC 4271 §6.2
      {
        0: 'Unspecific',
        1: 'Unsupported Version Number',
        2: 'Bad Peer AS',
        3: 'Bad BGP Identifier',
        4: 'Unsupported Optional Parameter',
        5: 'Authentication Failure (deprecated)',
        6: 'Unacceptable Hold Time',
        7: 'Unsupported Capability', // RFC 5492
        8: 'Deprecated (8)',
        9: 'Deprecated (9)',
        10: 'Deprecated (10)',
        11: 'Role Mismatch', // RFC 9234
      },
    ],
    [
      3,
      'UPDATE Message Error', // RFC 4271 §6.3
      {
        0: 'Unspecific',
        1: 'Malformed Attribute List',
        2: 'Unrecognized Well-known Attribute',
        3: 'Missing Well-known Attribute',
        4: 'Attribute Flags Error',
        5: 'Attribute Length Error',
        6: 'Invalid ORIGIN Attribute',
        7: 'AS Routing Loop (deprecated)',
        8: 'Invalid NEXT_HOP Attribute',
        9: 'Optional Attribute Error',
        10: 'Invalid Network Field',
        11: 'Malformed AS_PATH',
      },
    ],
    [4, 'Hold Timer Expired', { 0: 'Unspecific' }],
    [
      5,
      'Finite State Machine Error', // RFC 6608 §3
      {
        0: 'Unspecified Error',
        1: 'Receive Unexpected Message in OpenSent State',
        2: 'Receive Unexpected Message in OpenConfirm State',
        3: 'Receive Unexpected Message in Established State',
      },
    ],
    [
      6,
      'Cease', // RFC 4486 §3, RFC 8538 (9), RFC 9384 (10)
      {
        0: 'Unspecific',
        1: 'Maximum Number of Prefixes Reached',
        2: 'Administrative Shutdown',
        3: 'Peer De-configured',
        4: 'Administrative Reset',
        5: 'Connection Rejected',
        6: 'Other Configuration Change',
        7: 'Connection Collision Resolution',
        8: 'Out of Resources',
        9: 'Hard Reset',
        10: 'BFD Down',
      },
    ],
    [7, 'ROUTE-REFRESH Message Error', { 0: 'Unspecific', 1: 'Invalid Message Length' }], // RFC 7313 §5
    [8, 'Send Hold Timer Expired', { 0: 'Unspecific' }], // RFC 9687
  ];

  it('names every code and subcode; the next unassigned subcode and code are SUBCODE_<n> / CODE_<n>', () => {
    for (const [code, name, subs] of TABLE) {
      const last = Math.max(...Object.keys(subs).map(Number));
      for (let sub = 0; sub <= last + 1; sub++) {
        // Subcodes that carry data are sent with none here; that is fine for naming (data errors are tested below).
        const m = msg(h2(code), h2(sub));
        expect([m.code_name, m.subcode_name], `${code}/${sub}`).toEqual([name, subs[sub] ?? `SUBCODE_${sub}`]);
      }
    }
    expect(msg('00', '00')).toMatchObject({ code_name: 'CODE_0', subcode_name: 'SUBCODE_0' });
    expect(msg('09', '01')).toMatchObject({ code_name: 'CODE_9', subcode_name: 'SUBCODE_1' });
  });
});

describe('RFC 8538 Hard Reset', () => {
  it('decodes the wrapped code and subcode with their names (tcpdump tests/bgp-cease-hard-reset.out: "Hard Reset (9), Cease (6), subcode Peer Unconfigured (3)")', () => {
    const r = notif('06', '09', '06', '03');
    expect(r.error).toBeNull();
    expect(r.msg).toMatchObject({
      subcode_name: 'Hard Reset',
      hard_reset: { code: 6, subcode: 3, code_name: 'Cease', subcode_name: 'Peer De-configured', data_hex: '' },
      shutdown_message: null,
    });
  });
  it('keeps the wrapped data, and reads a wrapped shutdown communication (RFC 9003 §2)', () => {
    expect(msg('06', '09', '03', '05', '0a0b').hard_reset).toMatchObject({ code: 3, subcode: 5, code_name: 'UPDATE Message Error', data_hex: '0a0b' });
    expect(msg('06', '09', '06', '02', '03', hexOf('bye'))).toMatchObject({ hard_reset: { subcode: 2, data_hex: '03' + hexOf('bye') }, shutdown_message: 'bye' });
  });
  it('reports a Hard Reset with fewer than 2 data bytes (tcpdump tests/bgp-malformed-hard-reset.pcap)', () => {
    for (const data of ['', '06']) {
      const r = notif('06', '09', data);
      expect(r.msg).toMatchObject({ hard_reset: null, data_hex: data });
      expect(r.error).toMatchObject({ code: 'hard_reset_data', offset: 21 });
    }
  });
});

describe('RFC 4486 §4 Maximum Number of Prefixes Reached', () => {
  it('decodes AFI (2), SAFI (1), upper bound (4) when the data has exactly that shape', () => {
    expect(msg('06', '01', '0002 01 000186a0').max_prefixes).toEqual({ afi: 2, safi: 1, limit: 100000 });
    // The data is optional ("MAY"): absent or of another length it stays hex only, without an error.
    for (const data of ['', '0001 01 0000', '0001 01 00000064 ff']) {
      const r = notif('06', '01', data);
      expect(r.error).toBeNull();
      expect(r.msg).toMatchObject({ max_prefixes: null, data_hex: data.replace(/\s/g, '') });
    }
  });
});

describe('RFC 5492 §3 Unsupported Capability', () => {
  it('lists the capabilities from the data, decoded like an OPEN’s', () => {
    const m = msg('02', '07', '41 04 00030d40', '45 04 0001 01 03', 'c8 00');
    expect(m.unsupported_capabilities?.map((c) => [c.code, c.name, c.value])).toEqual([
      [65, 'four_octet_as', { asn: 200000 }],
      [69, 'add_path', [{ afi: 1, safi: 1, send_receive: 'both' }]],
      [200, 'CAP_200', null],
    ]);
  });
  it('leaves it null when the triples do not fill the data', () => {
    expect(msg('02', '07', '41 04 0003').unsupported_capabilities).toBeNull();
    expect(msg('02', '07').unsupported_capabilities).toBeNull();
    expect(msg('02', '06', '41 04 00030d40').unsupported_capabilities).toBeNull(); // another subcode
  });
});

describe('RFC 8203 / RFC 9003 shutdown communication', () => {
  it('accepts the RFC 9003 maximum of 255 octets (RFC 8203 allowed 128)', () => {
    const text = 'x'.repeat(254) + 'y';
    const r = notif('06', '02', 'ff', hexOf(text));
    expect(r.error).toBeNull();
    expect(r.msg).toMatchObject({ shutdown_message: text });
  });
  it('decodes multibyte UTF-8, the length counting octets', () => {
    expect(msg('06', '04', '0b' /* 11 octets for 7 characters */, hexOf('Grüße €')).shutdown_message).toBe('Grüße €');
  });
  it('reports a length past the data or text that is not UTF-8, and never shows that text (RFC 9003 §4)', () => {
    const long = notif('06', '02', '05', hexOf('abc'));
    expect(long.msg).toMatchObject({ shutdown_message: null, data_hex: '05' + hexOf('abc') });
    expect(long.error).toMatchObject({ code: 'shutdown_communication', offset: 21 });
    const bad = notif('06', '02', '03', '61 ff 62');
    expect(bad.msg).toMatchObject({ shutdown_message: null });
    expect(bad.error).toMatchObject({ code: 'shutdown_communication', offset: 22 });
  });
  it('only Administrative Shutdown and Reset carry one', () => {
    for (const sub of [1, 3, 5, 6, 7, 8, 10]) expect(notif('06', h2(sub), '03', hexOf('abc'))).toMatchObject({ error: null, msg: { shutdown_message: null } });
  });
});

// ---------------------------------------------------------------------------------------------- corpus

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const haveCorpus = existsSync(CORPUS);

describe.skipIf(!haveCorpus || !hasTshark())('corpus NOTIFICATIONs against tshark 4.0 and tcpdump', () => {
  const of = (file: string) => tsharkMessages(CORPUS + file).filter((m) => m.bytes[18] === 3);

  it('code, subcode and shutdown communication as tshark shows them', () => {
    const files = [
      'the-tcpdump-group_tcpdump/tests__bgp-bfd-cease.pcap',
      'the-tcpdump-group_tcpdump/tests__bgp-cease-hard-reset.pcap',
      'the-tcpdump-group_tcpdump/tests__bgp-extended-shutdown-msg.pcapng', // 210 octets: RFC 9003, over RFC 8203's 128
      'the-tcpdump-group_tcpdump/tests__bgp-shutdown-communication.pcapng',
      'the-tcpdump-group_tcpdump/tests__bgp-malformed-hard-reset.pcap',
      'the-tcpdump-group_tcpdump/tests__bgp-4byte-asn.pcap',
      'the-tcpdump-group_tcpdump/tests__bgp-lu-multiple-labels.pcap',
      'network-analytics_traffic-reproducer/examples__pcap_processing__bgp.pcap',
      'ddddddO_packemon/cmd__debugging__bgp__pcap__succeeded_bgp.pcap',
    ];
    let n = 0;
    for (const f of files) {
      for (const m of of(f)) {
        n++;
        const d = decodeMessage(m.bytes, AS4).msg as NotificationMessage;
        const sub = m.node.children.find((c) => c.name.startsWith('bgp.notify.minor_error'));
        expect([d.code, d.subcode], `${f} frame ${m.frame}`).toEqual([Number(find(m.node, 'bgp.notify.major_error')!.show), Number(sub!.show)]);
        const comm = find(m.node, 'bgp.notify.communication');
        if (comm !== undefined) {
          expect(d.shutdown_message, f).toBe(comm.show);
          expect(Buffer.byteLength(d.shutdown_message!, 'utf8')).toBe(Number(find(m.node, 'bgp.notify.communication_length')!.show));
        }
      }
    }
    expect(n).toBeGreaterThanOrEqual(files.length);
  });

  it('ROUTE-REFRESH Message Error: code 7 is RFC 7313’s; tshark 4.0 still names it "CAPABILITY Message Error" (draft-ietf-idr-dynamic-cap)', () => {
    const [m] = of('the-tcpdump-group_tcpdump/tests__bgp_notification_rr_msg_error.pcap');
    expect(decodeMessage(m!.bytes, AS4).msg).toMatchObject({ code: 7, subcode: 1, code_name: 'ROUTE-REFRESH Message Error', subcode_name: 'Invalid Message Length' });
  });

  it('hard reset (tcpdump: "Cease (6), subcode Hard Reset (9), Cease (6), subcode Peer Unconfigured (3)")', () => {
    const [m] = of('the-tcpdump-group_tcpdump/tests__bgp-cease-hard-reset.pcap');
    expect(decodeMessage(m!.bytes, AS4).msg).toMatchObject({ hard_reset: { code: 6, subcode: 3 } });
  });

  it('shutdown communication variations (tcpdump tests/bgp-shutdown-msg-variations.out; tshark 4.0 shows these as plain data)', () => {
    // tcpdump: 1 "(length: 10): "0123456789", Data: (length: 9)", 2 "empty Shutdown Communication",
    // 3 "invalid Shutdown Communication length". The three are SYN segments with the same sequence number, so
    // tshark dissects only the first as BGP: the payloads are taken from every frame as tshark extracts them.
    const out = execFileSync('tshark', ['-r', CORPUS + 'the-tcpdump-group_tcpdump/tests__bgp-shutdown-msg-variations.pcap', '-T', 'fields', '-e', 'tcp.payload'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const r = out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => decodeMessage(new Uint8Array(Buffer.from(l, 'hex')), AS4));
    expect(r).toHaveLength(3);
    expect(r.map((x) => (x.msg as NotificationMessage).shutdown_message)).toEqual(['0123456789', '', null]);
    expect(r.map((x) => x.error?.code ?? null)).toEqual([null, null, 'shutdown_communication']);
  });
});
