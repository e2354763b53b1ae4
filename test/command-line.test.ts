import { describe, expect, it } from 'vitest';
import { cmdNote, programCommand, shellQuote, shredCommand } from '../src/ui/command-line.js';

describe('shellQuote on POSIX', () => {
  it('leaves plain paths bare and single-quotes the rest', () => {
    expect(shellQuote('/scholen/numo/export.xlsx', 'linux')).toBe('/scholen/numo/export.xlsx');
    expect(shellQuote("/School 't Veld/numo export/a.csv", 'darwin')).toBe(`'/School '\\''t Veld/numo export/a.csv'`);
    // zsh (macOS) expands a bare =name; a name that starts with - would be an option, quoted or not.
    expect(shellQuote('=export.xlsx', 'darwin')).toBe(`'=export.xlsx'`);
    expect(shellQuote('-export.xlsx', 'linux')).toBe('./-export.xlsx');
  });
});

describe('shellQuote on Windows', () => {
  it('leaves drive-letter paths without specials bare', () => {
    expect(shellQuote('C:\\numo\\export.xlsx', 'win32')).toBe('C:\\numo\\export.xlsx');
  });

  it("uses double quotes, the same in PowerShell and cmd, for spaces, 't, ’t, & and ( )", () => {
    expect(shellQuote("Z:\\School 't Veld\\numo export\\numo.csv", 'win32')).toBe(`"Z:\\School 't Veld\\numo export\\numo.csv"`);
    expect(shellQuote('C:\\School ’t Veld\\a.csv', 'win32')).toBe('"C:\\School ’t Veld\\a.csv"');
    expect(shellQuote('C:\\Tom & Jerry (1)\\a.csv', 'win32')).toBe('"C:\\Tom & Jerry (1)\\a.csv"');
  });

  it('never leaves POSIX quoting, which no Windows shell reads', () => {
    expect(shellQuote("C:\\School 't Veld\\x.csv", 'win32')).not.toContain(`'\\''`);
  });

  it('falls back to PowerShell single quotes, quotes doubled, when PowerShell or cmd would expand the text', () => {
    expect(shellQuote("C:\\Budget $2026\\'t Veld.csv", 'win32')).toBe("'C:\\Budget $2026\\''t Veld.csv'");
    expect(shellQuote('C:\\100%\\a`b.csv', 'win32')).toBe("'C:\\100%\\a`b.csv'");
    expect(shellQuote('C:\\“Veld” ’t\\a.csv', 'win32')).toBe("'C:\\“Veld” ’’t\\a.csv'");
  });

  it('quotes a comma (PowerShell reads a,b as a list); a leading dash gets .\\ (quotes would not stop numo-prep reading an option)', () => {
    expect(shellQuote('C:\\a,b.csv', 'win32')).toBe('"C:\\a,b.csv"');
    expect(shellQuote('-x.csv', 'win32')).toBe('.\\-x.csv');
  });
});

describe('shredCommand', () => {
  it('names the program and quotes each file', () => {
    expect(shredCommand(['C:\\numo\\a.csv', "C:\\School 't Veld\\b.csv"], 'win32')).toBe(`numo-prep shred C:\\numo\\a.csv "C:\\School 't Veld\\b.csv"`);
  });
});

describe('programCommand', () => {
  it('is numo-prep for the npm CLI and node <path> for the one-file build', () => {
    const saved = process.argv[1];
    const command = process.env.npm_command;
    try {
      process.argv[1] = '/usr/lib/node_modules/numo-prep/bin/numo-prep.js';
      delete process.env.npm_command;
      expect(programCommand('linux')).toBe('numo-prep');
      // Started with npx (in a checkout, as the quick start does): numo-prep alone is not on PATH there.
      process.env.npm_command = 'exec';
      expect(programCommand('linux')).toBe('npx numo-prep');
      delete process.env.npm_command;
      process.argv[1] = "/home/beheer/School 't Veld/numo-prep.cjs";
      expect(programCommand('linux')).toBe(`node '/home/beheer/School '\\''t Veld/numo-prep.cjs'`);
    } finally {
      process.argv[1] = saved;
      if (command === undefined) delete process.env.npm_command;
      else process.env.npm_command = command;
    }
  });
});

describe('cmdNote', () => {
  it('tells cmd users to leave out the & that PowerShell needs before a quoted program, and says when a line is for PowerShell only', () => {
    expect(cmdNote('& "C:\\Program Files\\numo\\numo-prep-win-x64.exe" shred a.csv', 'win32')).toBe('(in cmd: zonder de & aan het begin)');
    expect(cmdNote('numo-prep shred a.csv', 'win32')).toBeUndefined();
    // A path with $ or % is in PowerShell's single quotes, which cmd does not know.
    expect(cmdNote(shredCommand(['D:\\home$\\beheer\\export.csv'], 'win32'), 'win32')).toBe('(alleen in PowerShell)');
    expect(cmdNote(`& 'D:\\home$\\numo-prep-win-x64.exe' shred a.csv`, 'win32')).toBe('(alleen in PowerShell)');
    // A ' inside a double-quoted path is no quote.
    expect(cmdNote(shredCommand(["C:\\Users\\Beheer\\School 't Veld\\numo export\\export.csv"], 'win32'), 'win32')).toBeUndefined();
    // Elsewhere no note: a POSIX shell line has its own single quotes.
    expect(cmdNote("numo-prep shred 'School '\\''t Veld/a.csv'", 'linux')).toBeUndefined();
  });
});
