// The output sinks: direct descriptor writes, and the stream taking over without losing or
// reordering a byte.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fdSinks } from '../src/io.js';

function recorder() {
  const log: string[] = [];
  const stream = (name: string) => new Writable({ write(chunk, _enc, done) { log.push(`${name}:${chunk.toString()}`); done(); } });
  const out = stream('out stream');
  const err = stream('err stream');
  return { log, streams: { out: () => out, err: () => err } };
}

describe('fdSinks', () => {
  it('drops output whose reader is gone (EPIPE) without a stream, which would throw the error later', () => {
    let built = 0;
    let calls = 0;
    const { io, allWritten } = fdSinks(() => { calls++; throw Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' }); }, {
      out: () => { built++; return new Writable(); },
      err: () => { built++; return new Writable(); },
    });
    io.out('result\n');
    io.out('more\n');
    expect(calls).toBe(2);
    expect(built).toBe(0);
    expect(allWritten()).toBe(true);
  });

  it('writes to the descriptor and never builds a stream while the writes go through', () => {
    const { log, streams } = recorder();
    let built = 0;
    const { io } = fdSinks((fd, bytes, offset) => { log.push(`fd${fd}:${Buffer.from(bytes.subarray(offset)).toString()}`); return bytes.length - offset; }, {
      out: () => { built++; return streams.out(); },
      err: () => { built++; return streams.err(); },
    });
    io.out('result\n');
    io.err('warning\n');
    expect(log).toEqual(['fd1:result\n', 'fd2:warning\n']);
    expect(built).toBe(0);
  });

  it('hands the unwritten rest to the stream when the descriptor would block, and keeps to the stream after', () => {
    const { log, streams } = recorder();
    let calls = 0;
    const { io } = fdSinks((fd, bytes, offset) => {
      calls++;
      if (calls === 1) { log.push(`fd${fd}:${Buffer.from(bytes.subarray(offset, offset + 4)).toString()}`); return 4; }
      throw Object.assign(new Error('EAGAIN: resource temporarily unavailable, write'), { code: 'EAGAIN' });
    }, streams);
    io.out('héllo wörld\n');
    io.err('next\n');
    io.out('last\n');
    // Four bytes went out directly ("hé" is 3 bytes + "l"), the rest through the stream, in order.
    expect(log).toEqual(['fd1:hél', 'out stream:lo wörld\n', 'err stream:next\n', 'out stream:last\n']);
    expect(calls).toBe(2);
  });

  it('drops a write that fails (a full disk, EBADF) without a stream, which would throw it with a page of the bundle; the run says so at its end (finish)', () => {
    const { log, streams } = recorder();
    let built = 0;
    const { io, allWritten } = fdSinks(() => { throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }); }, { out: () => { built++; return streams.out(); }, err: () => { built++; return streams.err(); } });
    io.out('{"ok":true}\n');
    expect(log).toEqual([]);
    expect(built).toBe(0);
    expect(allWritten()).toBe(true);
  });

  it('says every byte went straight out only until a stream takes over (the CLI exits at once only then)', () => {
    const { streams } = recorder();
    let calls = 0;
    const sinks = fdSinks((_fd, bytes, offset) => {
      if (++calls === 2) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      return bytes.length - offset;
    }, streams);
    expect(sinks.allWritten()).toBe(true);
    sinks.io.out('first\n');
    expect(sinks.allWritten()).toBe(true);
    sinks.io.out('second\n');
    expect(sinks.allWritten()).toBe(false);
    const prompted = fdSinks((_fd, bytes, offset) => bytes.length - offset, streams);
    prompted.useStreams();
    expect(prompted.allWritten()).toBe(false);
    expect(fdSinks(() => 0, streams, false).allWritten()).toBe(false);
  });

  it('writes through the streams once the prompts use them', () => {
    const { log, streams } = recorder();
    const { io, useStreams } = fdSinks((fd, bytes, offset) => { log.push(`fd${fd}`); return bytes.length - offset; }, streams);
    io.out('before\n');
    useStreams();
    io.out('after\n');
    expect(log).toEqual(['fd1', 'out stream:after\n']);
  });
});
