import { formatBytes, ProgressBar, renderProgress } from '../../../bin/upload/progress.ts';

describe('formatBytes', () => {
  test.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [5 * 1024 * 1024 + 512 * 1024, '5.5 MiB'],
    [3 * 1024 ** 3, '3.0 GiB'],
  ])('%d -> %s', (bytes, text) => {
    // Prepare: the size above
    // Act
    const formatted = formatBytes(bytes);
    // Assess
    expect(formatted).toBe(text);
  });
});

describe('renderProgress', () => {
  test.each([
    [0, 100, '[..........]   0%'],
    [45, 100, '[####......]  45%'],
    [100, 100, '[##########] 100%'],
    [150, 100, '[##########] 100%'],
    [0, 0, '[##########] 100%'],
  ])('%d of %d', (done, total, bar) => {
    // Prepare: the counts above
    // Act
    const line = renderProgress('clip.mp4', done, total, 10);
    // Assess
    expect(line.startsWith(bar)).toBe(true);
    expect(line.endsWith('clip.mp4')).toBe(true);
  });
});

describe('ProgressBar', () => {
  function sink(isTTY: boolean) {
    const writes: string[] = [];
    return { isTTY, writes, write: (text: string) => writes.push(text) };
  }

  test('on a terminal it redraws one line and ends it', () => {
    // Prepare
    const terminal = sink(true);
    const bar = new ProgressBar(terminal, 'a.mp4', 200);
    // Act
    bar.update(100);
    bar.finish('video/mp4');
    // Assess
    expect(terminal.writes).toHaveLength(3);
    expect(terminal.writes[0]).toMatch(/^\r\[#+\.+\] {2}50%/);
    expect(terminal.writes[1]).toMatch(/^\r\[#+\] 100% .*a\.mp4 {2}video\/mp4$/);
    expect(terminal.writes[2]).toBe('\n');
  });

  test('in a pipe it prints only the finished line', () => {
    // Prepare
    const pipe = sink(false);
    const bar = new ProgressBar(pipe, 'a.mp4', 200);
    // Act
    bar.update(100);
    bar.finish('video/mp4');
    // Assess
    expect(pipe.writes.join('')).toMatch(/^\[#+\] 100% .*a\.mp4 {2}video\/mp4\n$/);
  });
});
