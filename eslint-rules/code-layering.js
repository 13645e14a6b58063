// @ts-check
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * `local/code-layering`: who may import whom, by folder. Modelled on VS Code's
 * `local/code-layering` rule (github.com/microsoft/vscode, .eslint-plugin-local/code-layering.ts):
 * the layers are data in eslint.config.js, the rule only resolves each relative import and checks
 * that the importing file's zone lists the imported file's zone.
 *
 * Options: `{ root, zones: [{ name, path, allow, testAllow? }] }`. `path` is a folder relative to
 * `root` (the longest matching path wins); `allow` names the zones this zone may import (itself is
 * always allowed); `testAllow` adds zones for test files (`*.test.ts`, `test/` folders), which may
 * use the sandbox as their stand-in for the Microsoft cloud. Package imports are not checked here
 * (`no-restricted-imports` keeps electron and Node built-ins out of the layers that must not use them).
 */

/** @typedef {{ name: string; path: string; allow: string[]; testAllow?: string[] }} Zone */

/** @param {string} file @param {Zone[]} zones @param {string} root */
function zoneOf(file, zones, root) {
  const path = relative(root, file).split(sep).join('/');
  if (path.startsWith('..')) return undefined;
  let best;
  for (const zone of zones) {
    if (
      (path === zone.path || path.startsWith(`${zone.path}/`)) &&
      (!best || zone.path.length > best.path.length)
    )
      best = zone;
  }
  return best;
}

/** @param {string} file */
const isTestFile = (file) => /\.test\.tsx?$/.test(file) || /[\\/]test[\\/]/.test(file);

/** @type {import('eslint').Rule.RuleModule} */
export const codeLayering = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Imports follow the layering: a folder imports only the zones it is allowed to.',
    },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          zones: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                path: { type: 'string' },
                allow: { type: 'array', items: { type: 'string' } },
                testAllow: { type: 'array', items: { type: 'string' } },
              },
              required: ['name', 'path', 'allow'],
              additionalProperties: false,
            },
          },
        },
        required: ['root', 'zones'],
        additionalProperties: false,
      },
    ],
    messages: {
      layer:
        "'{{from}}' must not import '{{to}}' ({{specifier}}): it may import {{allowed}}. See ARCHITECTURE.md, the floors.",
    },
  },
  create(context) {
    const { root, zones } = /** @type {{ root: string; zones: Zone[] }} */ (context.options[0]);
    const file = context.filename;
    const from = zoneOf(file, zones, root);
    if (!from) return {};
    const allowed = new Set([
      from.name,
      ...from.allow,
      ...(isTestFile(file) ? (from.testAllow ?? []) : []),
    ]);

    /** @param {import('estree').Node} node @param {unknown} specifier */
    const check = (node, specifier) => {
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const to = zoneOf(resolve(dirname(file), specifier), zones, root);
      if (!to || allowed.has(to.name)) return;
      context.report({
        node,
        messageId: 'layer',
        data: { from: from.name, to: to.name, specifier, allowed: [...allowed].join(', ') },
      });
    };

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        const [first] = node.arguments;
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          first?.type === 'Literal'
        )
          check(node, first.value);
      },
    };
  },
};

/** The plugin as eslint.config.js registers it. */
export default { rules: { 'code-layering': codeLayering } };
