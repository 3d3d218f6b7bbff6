import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

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
    // A route never imports another route.
    files: ["app/routes/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["~/routes/*", "./*", "../routes/*"], message: "Routes never import other routes: move shared code to a module." }] }],
    },
  },
);
