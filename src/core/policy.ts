import type { PasswordKind } from './schema.js';
import { MIN_RANDOM_CHARS, type Template } from './template.js';

export interface PolicyWarning {
  code: 'no-login' | 'password-public' | 'password-same' | 'password-few-random';
  message: string;
}

/**
 * Settings that let students in badly or not at all. convert reports them as warnings and the wizard shows them
 * on its review screen, in the same words; each adds its own hint (a flag, or a choice in the review).
 */
export function policyWarnings(o: { password: PasswordKind; template?: Template; withIdgebr: boolean; keepsPasswords?: boolean; staff?: boolean }): PolicyWarning[] {
  const out: PolicyWarning[] = [];
  if (o.password === 'none' && !o.withIdgebr) {
    // With --keep-passwords the returning students keep last year's; only the new ones get none.
    out.push({
      code: 'no-login',
      message: o.keepsPasswords
        ? `Geen wachtwoorden voor nieuwe ${o.staff ? 'medewerkers' : 'leerlingen'} en geen IDGebr (SSO): alleen wie vorig jaar een wachtwoord had, kan inloggen in Numo`
        : 'Geen wachtwoorden en geen IDGebr (SSO): niemand kan inloggen in Numo',
    });
  }
  if (o.password === 'template' && o.template && o.template.randomChars < MIN_RANDOM_CHARS) {
    const t = o.template;
    const who = o.staff ? 'medewerkers' : 'leerlingen';
    if (t.publicFields.length) {
      out.push({
        code: 'password-public',
        message: `Wachtwoorden worden gemaakt uit gegevens die anderen kennen (${t.publicFields.map((f) => `{${f}}`).join(', ')}): ${who} kunnen elkaars wachtwoord raden`,
      });
    } else if (t.randomChars > 0) {
      out.push({
        code: 'password-few-random',
        message: `Wachtwoorden hebben maar ${t.randomChars === 1 ? '1 willekeurig teken' : `${t.randomChars} willekeurige tekens`}: ${who} kunnen elkaars wachtwoord raden`,
      });
    } else out.push({ code: 'password-same', message: `Alle ${who} krijgen hetzelfde wachtwoord` });
  }
  return out;
}
