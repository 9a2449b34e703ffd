// One lint configuration for the whole tree (flat config), shaped like create-t3-app's: typescript-eslint's
// type-checked rules, the Next.js plugin, React hooks and the drizzle plugin. `npm run lint` runs it with zero warnings.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      ".next-*/**",
      "dist/**",
      "data/**",
      "coverage/**",
      "tmp/**",
      "test-results/**",
      "next-env.d.ts",
      "db/migrations/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    plugins: {
      "@next/next": nextPlugin,
      "react-hooks": reactHooks,
      drizzle,
    },
    rules: {
      ...nextPlugin.configs.recommended.rules,
      ...nextPlugin.configs["core-web-vitals"].rules,
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",

      // A bulk delete or update without a where clause empties a table; the one database handle is `db` (or a
      // transaction `tx`).
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],

      // `typeof import("…")` stays allowed: tests import modules after setting the environment they read at load.
      "@typescript-eslint/consistent-type-imports": [
        "warn",
        { prefer: "type-imports", fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
      // Off: under `noUncheckedIndexedAccess` it would rewrite every `x[i] as number` to `x[i]!`, the same unchecked
      // claim in other clothes. The engine reduces these casts with typed accessors instead (lib/stats/linalg.ts).
      "@typescript-eslint/non-nullable-type-assertion-style": "off",
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // Server actions and route handlers are async by contract (Next requires it) even where the body awaits
      // nothing; create-t3-app turns this off for the same reason.
      "@typescript-eslint/require-await": "off",
      // A promise-returning handler passed to a JSX attribute (`action={…}`, `onClick={async …}`) is how React 19
      // forms work; the other void-return checks stay on.
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // `a || undefined` on strings is deliberate: an empty form or query field means "not given".
      "@typescript-eslint/prefer-nullish-coalescing": ["warn", { ignorePrimitives: { string: true } }],
      // Style choices the codebase settled long ago; neither finds a fault.
      "@typescript-eslint/array-type": "off",
      "@typescript-eslint/consistent-type-definitions": "off",
    },
  },
  {
    // Tests read JSON fixtures (R's reference fits, oracle outputs) into `any` and compare them field by field; the
    // assertions are the type check there. `useBrowser` and friends are test helpers, not React hooks.
    files: ["tests/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
      "react-hooks/rules-of-hooks": "off",
    },
  },
  {
    // Plain JavaScript and the vitest configs (outside tsconfig's program): checked without type information, as
    // Node scripts.
    files: ["**/*.mjs", "**/*.js", "**/*.cjs", "**/*.mts"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["**/*.mjs", "**/*.js", "**/*.cjs", "**/*.mts"],
    languageOptions: {
      globals: { setTimeout: "readonly", process: "readonly", console: "readonly", performance: "readonly", require: "readonly", module: "writable", __dirname: "readonly", Buffer: "readonly" },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
