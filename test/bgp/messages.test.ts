// Header checks, KEEPALIVE, NOTIFICATION and ROUTE-REFRESH with hand-annotated bytes. Expected values come
// from the RFCs cited next to each case.

import { describe, expect, it } from 'vitest';
import { decodeMessage, decodeMessageLazy } from '../../src/bgp/decode.js';
import { AS4, MARKER, bgp, hexOf, hx } from './helpers.js';

describe('header (RFC 4271 §4.1, §6.1)', () => {
  it('decodes a KEEPALIVE: marker, length 19, type 4, no body', () => {
    const r = decodeMessage(hx(MARKER, '0013', '04'), AS4);
    expect(r).toEqual({ msg: { kind: 'keepalive' }, error: null, inferred: null });
  });

  it('rejects a KEEPALIVE that is not exactly 19 bytes (RFC 4271 §4.4)', () => {
    const r = decodeMessage(hx(MARKER, '0014', '04', '00'), AS4);
    expect(r.msg).toBeNull();
    expect(r.error).toMatchObject({ code: 'bad_length', offset: 16 });
  });

  it('reports fewer than 19 bytes', () => {
    expect(decodeMessage(hx('ffff'), AS4).error).toMatchObject({ code: 'short_message', offset: 0 });
  });

  it('reports a marker that is not all ones at its first bad byte (Connection Not Synchronized)', () => {
    const b = hx(MARKER, '0013', '04');
    b[5] = 0xfe;
    expect(decodeMessage(b, AS4).error).toMatchObject({ code: 'bad_marker', offset: 5 });
  });

  it('reports a length below 19 and a length beyond the bytes given', () => {
    expect(decodeMessage(hx(MARKER, '0012', '04'), AS4).error).toMatchObject({ code: 'bad_length', offset: 16 });
    expect(decodeMessage(hx(MARKER, '0014', '04'), AS4).error).toMatchObject({ code: 'truncated', offset: 16 });
  });

  it('the hot path given framed bytes trusts the framer with the marker, never with the length', () => {
    // The framer (tcp/framer.ts) checked the marker of what the pipeline hands on; a length that does not fit
    // the bytes is still checked here, with the same errors as decodeMessage.
    const b = hx(MARKER, '0013', '04');
    b[5] = 0xfe;
    expect(decodeMessageLazy(b, AS4).error).toMatchObject({ code: 'bad_marker', offset: 5 });
    expect(decodeMessageLazy(b, AS4, true)).toMatchObject({ msg: { kind: 'keepalive' }, error: null });
    for (const len of ['0012', '0014', '0000']) {
      const c = hx(MARKER, len, '04');
      expect(decodeMessageLazy(c, AS4, true).error).toEqual(decodeMessage(c, AS4).error);
      expect(decodeMessageLazy(c, AS4, true).error).not.toBeNull();
    }
  });

  it('reports an unknown message type (Bad Message Type)', () => {
    const r = decodeMessage(hx(MARKER, '0013', '09'), AS4);
    expect(r.msg).toBeNull();
    expect(r.error).toMatchObject({ code: 'message_type', offset: 18 });
  });

  it('reads only the declared length: trailing bytes belong to the next message', () => {
    const r = decodeMessage(hx(MARKER, '0013', '04', 'deadbeef'), AS4);
    expect(r.msg).toEqual({ kind: 'keepalive' });
  });

  it('enforces per-type minimum lengths (OPEN 29, UPDATE 23, NOTIFICATION 21, ROUTE-REFRESH 23)', () => {
    for (const [type, len] of [
      [1, 28],
      [2, 22],
      [3, 20],
      [5, 22],
    ] as const) {
      const b = hx(MARKER, len.toString(16).padStart(4, '0'), `0${type}`, '00'.repeat(len - 19));
      expect(decodeMessage(b, AS4).error?.code, `type ${type}`).toBe('bad_length');
    }
  });
});

describe('NOTIFICATION (RFC 4271 §4.5)', () => {
  it('names codes and subcodes from the IANA registries', () => {
    const cases: [string, string, string, string][] = [
      ['01', '02', 'Message Header Error', 'Bad Message Length'],
      ['02', '0b', 'OPEN Message Error', 'Role Mismatch'], // RFC 9234
      ['03', '0b', 'UPDATE Message Error', 'Malformed AS_PATH'],
      ['04', '00', 'Hold Timer Expired', 'Unspecific'],
      ['05', '03', 'Finite State Machine Error', 'Receive Unexpected Message in Established State'], // RFC 6608
      ['06', '0a', 'Cease', 'BFD Down'], // RFC 9384
      ['07', '01', 'ROUTE-REFRESH Message Error', 'Invalid Message Length'], // RFC 7313
      ['08', '00', 'Send Hold Timer Expired', 'Unspecific'], // RFC 9687
      ['09', '00', 'CODE_9', 'SUBCODE_0'],
      ['06', '63', 'Cease', 'SUBCODE_99'],
    ];
    for (const [code, sub, codeName, subName] of cases) {
      const r = decodeMessage(bgp(3, code, sub), AS4);
      expect(r.msg, `${code}/${sub}`).toMatchObject({ kind: 'notification', code_name: codeName, subcode_name: subName, data_hex: '' });
    }
  });

  it('keeps the data of other errors as hex (Bad Peer AS carries the AS)', () => {
    const r = decodeMessage(bgp(3, '02', '02', 'fde8'), AS4);
    expect(r.msg).toMatchObject({ code: 2, subcode: 2, data_hex: 'fde8', shutdown_message: null });
  });

  // The next three are the bytes of tcpdump's tests/bgp-shutdown-msg-variations.pcap (frames 1-3).
  it('decodes a shutdown communication and leaves trailing data in data_hex (RFC 9003 §2)', () => {
    const r = decodeMessage(
      bgp(3, '06', '04' /* Cease / Administrative Reset */, '0a' /* length 10 */, hexOf('0123456789'), hexOf('ExtraData')),
      AS4,
    );
    expect(r.error).toBeNull();
    expect(r.msg).toMatchObject({ shutdown_message: '0123456789', data_hex: '0a' + hexOf('0123456789ExtraData') });
  });

  it('decodes a zero-length shutdown communication as the empty string', () => {
    const r = decodeMessage(bgp(3, '06', '04', '00'), AS4);
    expect(r.error).toBeNull();
    expect(r.msg).toMatchObject({ shutdown_message: '' });
  });

  it('reports a shutdown communication longer than the data: no text, data kept', () => {
    const r = decodeMessage(bgp(3, '06', '04', '40' /* 64 */, hexOf('0123456789')), AS4);
    expect(r.msg).toMatchObject({ shutdown_message: null, data_hex: '40' + hexOf('0123456789') });
    expect(r.error).toMatchObject({ code: 'shutdown_communication', offset: 21 });
  });

  it('reports a shutdown communication that is not UTF-8', () => {
    const r = decodeMessage(bgp(3, '06', '02', '02', 'c328' /* C3 starts a 2-byte sequence, 28 cannot continue it */), AS4);
    expect(r.msg).toMatchObject({ shutdown_message: null });
    expect(r.error?.code).toBe('shutdown_communication');
  });

  it('decodes UTF-8 text and ignores Cease subcodes without a communication', () => {
    const r = decodeMessage(bgp(3, '06', '02', '06', hexOf('añ€')), AS4);
    expect(r.msg).toMatchObject({ shutdown_message: 'añ€' });
    const other = decodeMessage(bgp(3, '06', '03' /* Peer De-configured */, '05', hexOf('hello')), AS4);
    expect(other.msg).toMatchObject({ shutdown_message: null });
    expect(other.error).toBeNull();
  });

  it('looks inside a Hard Reset for the wrapped shutdown communication (RFC 8538 §3)', () => {
    const r = decodeMessage(bgp(3, '06', '09', '06', '02' /* wraps Cease / Admin Shutdown */, '03', hexOf('bye')), AS4);
    expect(r.msg).toMatchObject({ subcode_name: 'Hard Reset', shutdown_message: 'bye' });
    // tcpdump tests/bgp-cease-hard-reset.pcap: Hard Reset wrapping Cease / Peer De-configured.
    expect(decodeMessage(bgp(3, '06', '09', '0603'), AS4)).toMatchObject({ error: null, msg: { shutdown_message: null } });
  });

  it('reports a Hard Reset without the wrapped code (tcpdump tests/bgp-malformed-hard-reset.pcap)', () => {
    const r = decodeMessage(bgp(3, '06', '09'), AS4);
    expect(r.msg).toMatchObject({ code: 6, subcode: 9 });
    expect(r.error?.code).toBe('hard_reset_data');
  });
});

describe('ROUTE-REFRESH (RFC 2918 §3, RFC 7313 §3.2)', () => {
  it('decodes AFI, subtype and SAFI', () => {
    const r = decodeMessage(bgp(5, '0002' /* AFI IPv6 */, '00' /* normal request */, '01' /* unicast */), AS4);
    // subtype 0 = normal request (RFC 7313 §3.2); a 4-byte body carries no ORF part (RFC 5291 §4)
    expect(r).toEqual({
      msg: { kind: 'route_refresh', afi: 2, safi: 1, subtype: 0, subtype_name: 'normal', orf: null, data_hex: '' },
      error: null,
      inferred: null,
    });
  });

  it('decodes BoRR (1) and EoRR (2)', () => {
    expect(decodeMessage(bgp(5, '0001', '01', '01'), AS4).msg).toMatchObject({ subtype: 1, subtype_name: 'BoRR' });
    expect(decodeMessage(bgp(5, '0001', '02', '01'), AS4).msg).toMatchObject({ subtype: 2, subtype_name: 'EoRR' });
  });

  it('decodes ORF entries (RFC 5291 §4, RFC 5292 §3) and keeps their bytes as hex', () => {
    const orf =
      '01' /* when-to-refresh: immediate */ + '40' /* ORF type 64 address prefix */ + '0008' /* length of ORFs */ +
      '00' /* action ADD, match PERMIT */ + '0000000a' /* sequence 10 */ + '00' /* minlen */ + '00' /* maxlen */ +
      '00' /* prefix length 0: 0.0.0.0/0, no address octets */;
    const r = decodeMessage(bgp(5, '0001', '00', '01', orf), AS4);
    expect(r.error).toBeNull();
    expect(r.msg).toEqual({
      kind: 'route_refresh',
      afi: 1,
      safi: 1,
      subtype: 0,
      subtype_name: 'normal',
      orf: {
        when_to_refresh: 'immediate',
        groups: [
          {
            type: 64,
            name: 'address_prefix',
            entries: [{ action: 'add', match: 'permit', sequence: 10, min_len: 0, max_len: 0, prefix: '0.0.0.0/0' }],
            hex: '000000000a000000',
          },
        ],
      },
      data_hex: orf,
    });
  });

  it('reports an address prefix ORF entry without its prefix length octet (RFC 5292 §3), bytes kept', () => {
    // The entry is 7 bytes: common part (1), sequence (4), minlen (1), maxlen (1); RFC 5292 §3 needs the
    // Length octet next (8 bytes before the prefix).
    const orf = '01' + '40' + '0007' + '00' + '0000000a' + '00' + '00';
    const r = decodeMessage(bgp(5, '0001', '00', '01', orf), AS4);
    expect(r.msg).toMatchObject({ subtype: 0, data_hex: orf, orf: { when_to_refresh: 'immediate', groups: [{ type: 64, entries: null, hex: '000000000a0000' }] } });
    // offset 27 = 19 header + 4 body + 1 when-to-refresh + 3 type/length: the entry's first byte
    expect(r.error).toMatchObject({ code: 'orf_entry_truncated', offset: 27 });
  });

  it('reports a BoRR/EoRR that is not 4 bytes long (RFC 7313 §5), message still shown', () => {
    const r = decodeMessage(bgp(5, '0001', '02', '01', 'ff'), AS4);
    expect(r.msg).toMatchObject({ subtype: 2, data_hex: 'ff' });
    expect(r.error).toMatchObject({ code: 'route_refresh_length' });
  });
});
