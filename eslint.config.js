import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const DATABASE_FROM_SERVER_ONLY = {
  group: ["**/db/*", "!**/db/enums"],
  message: "Only *.server.ts modules import db/ (db/enums.ts, plain data, is the exception).",
  // Types are erased from the bundle, so a browser module may describe rows by the schema's types.
  allowTypeImports: true,
};

export default tseslint.config(
  { ignores: ["build/", "public/build/", "node_modules/", ".data/", ".cache/", "scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "error",
    },
  },
  {
    files: ["bin/**/*.js", "remix.config.js", "eslint.config.js"],
    languageOptions: { globals: { process: "readonly" } },
  },
  {
    // The database is reached from server modules only; the enum values (plain data) are the exception.
    files: ["app/**/*.ts", "app/**/*.tsx"],
    ignores: ["app/**/*.server.ts", "app/**/*.server.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [DATABASE_FROM_SERVER_ONLY] }],
    },
  },
  {
    // A route never imports another route.
    files: ["app/routes/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            DATABASE_FROM_SERVER_ONLY,
            { group: ["~/routes/*", "./*", "../routes/*"], message: "Routes never import other routes: move shared code to a module." },
          ],
        },
      ],
    },
  },
);
