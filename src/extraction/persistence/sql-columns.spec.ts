/**
 * Every column the hand-written SQL of the job repositories names — INSERT column lists, SET
 * targets and `alias.column` references to extraction_jobs — is a column of the ExtractionJob
 * entity (whose metadata the migration drift test checks against the database).
 */
import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { getMetadataArgsStorage } from 'typeorm';
import { ExtractionJob } from '../entities/extraction-job.entity';

const entityColumns = new Set(
  getMetadataArgsStorage()
    .columns.filter((c) => c.target === ExtractionJob)
    .map((c) => c.options.name ?? c.propertyName),
);

/** The text of every template literal in a source file, `${…}` replaced by a placeholder. */
function templateTexts(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const texts: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
    if (ts.isTemplateExpression(node))
      texts.push(node.head.text + node.templateSpans.map((s) => `$X${s.literal.text}`).join(''));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

/** Splits at commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')') depth -= 1;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The SET clause of an UPDATE: from SET to the first WHERE/FROM/RETURNING outside parentheses. */
function setTargets(sql: string, from: number): string[] {
  let depth = 0;
  let end = sql.length;
  for (let i = from; i < sql.length; i += 1) {
    if (sql[i] === '(') depth += 1;
    else if (sql[i] === ')') {
      if (depth === 0) {
        end = i;
        break;
      }
      depth -= 1;
    } else if (depth === 0 && /^\s(WHERE|FROM|RETURNING)\s/.test(sql.slice(i, i + 12))) {
      end = i;
      break;
    }
  }
  const clause = sql.slice(from, end);
  const tuple = /^\s*\(([^)]*)\)\s*=/.exec(clause);
  if (tuple) return tuple[1].split(',').map((c) => c.trim());
  return splitTopLevel(clause).map((a) => a.split('=')[0].trim());
}

/** Column names of extraction_jobs that a statement writes or reads through an alias. */
export function columnsNamed(statement: string): string[] {
  if (!statement.includes('extraction_jobs')) return [];
  const sql = statement.replace(/--[^\n]*/g, '');
  const names: string[] = [];
  for (const m of sql.matchAll(/INSERT INTO extraction_jobs(?:\s+AS\s+\w+)?\s*\(([^)]*)\)/g))
    names.push(...m[1].split(',').map((c) => c.trim()));
  for (const m of sql.matchAll(/UPDATE extraction_jobs(?:\s+AS)?\s+\w+\s+SET\b/g))
    names.push(...setTargets(sql, m.index + m[0].length));
  const aliases = [...sql.matchAll(/extraction_jobs(?:\s+AS)?\s+([a-z]\w*)\b/g)]
    .map((m) => m[1])
    .filter((a) => !['SET', 'WHERE', 'USING'].includes(a.toUpperCase()));
  for (const alias of new Set(aliases))
    for (const m of sql.matchAll(new RegExp(`\\b${alias}\\.([a-z_][a-z0-9_]*|\\*)`, 'g')))
      if (m[1] !== '*') names.push(m[1]);
  return names.filter((n) => n !== '');
}

describe('SQL column names of the job repositories', () => {
  const dir = __dirname;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .map((f) => join(dir, f));

  it('finds statements to check', () => {
    const statements = files.flatMap(templateTexts).filter((t) => t.includes('extraction_jobs'));
    expect(statements.length).toBeGreaterThan(20);
    expect(entityColumns.size).toBeGreaterThan(30);
  });

  it('names only columns of the ExtractionJob entity', () => {
    const unknown = files.flatMap((file) =>
      templateTexts(file).flatMap((sql) =>
        columnsNamed(sql)
          .filter((name) => !entityColumns.has(name))
          .map((name) => `${file.slice(dir.length + 1)}: ${name}`),
      ),
    );
    expect(unknown).toEqual([]);
  });

  it('would catch a misspelt column in each kind of place', () => {
    expect(
      columnsNamed('INSERT INTO extraction_jobs AS j (id, ownr_id) VALUES ($1, $2)'),
    ).toContain('ownr_id');
    expect(
      columnsNamed(
        'UPDATE extraction_jobs j SET status = $1, progres = COALESCE($2, j.progress) WHERE j.id = $3',
      ),
    ).toEqual(['status', 'progres', 'progress', 'id']);
    expect(
      columnsNamed('UPDATE extraction_jobs p SET (a_b, c) = (SELECT 1, 2) WHERE p.id = $1'),
    ).toEqual(['a_b', 'c', 'id']);
    expect(columnsNamed('SELECT j.statuz FROM extraction_jobs j')).toEqual(['statuz']);
  });
});
