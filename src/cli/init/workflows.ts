// The two workflows `advisories init` writes into a project: check on pull requests; publish (check, build,
// deploy to GitHub Pages, mail) on the default branch and every hour, so embargoes lift by themselves.
// Two kinds of project: one with a package.json installs the tool as a devDependency (`npm ci`); any other
// gets it through `npx` at a pinned version, with no Node project of its own.

export type ProjectKind = 'npm' | 'npx';

export interface WorkflowOptions {
  kind: ProjectKind;
  /** What npx installs in an `npx` project: a pinned package spec (name@version, or a release tarball URL). */
  tool: string;
  /** The default branch publish runs on. */
  branch: string;
  /** The tool's version, named in the header comment. */
  version: string;
}

/** The current Node LTS line the workflows run on. */
export const NODE_VERSION = 24;

/** Action versions that run on Node 24 (GitHub stopped running actions on Node 20 in 2026). */
export const ACTIONS = {
  checkout: 'actions/checkout@v6',
  setupNode: 'actions/setup-node@v6',
  cache: 'actions/cache@v5',
  configurePages: 'actions/configure-pages@v6',
  uploadPages: 'actions/upload-pages-artifact@v5',
  deployPages: 'actions/deploy-pages@v5',
} as const;

/** Where `advisories init` writes the workflows. */
export const CHECK_FILE = 'advisories-check.yml';
export const PUBLISH_FILE = 'advisories-publish.yml';

/** The state branch the mail ledger lives on (`advisories state save`'s default). */
const STATE_BRANCH = 'advisories-state';

const header = (o: WorkflowOptions, what: string) =>
  `# Written by \`advisories init\` (advisories ${o.version}). ${what}
# Edit freely: \`advisories init\` never overwrites it without --force.
`;

/** How a step runs the tool: the devDependency, or the pinned package through npx. */
const tool = (o: WorkflowOptions) => (o.kind === 'npm' ? 'npx --no advisories' : 'npx --yes --package "$ADVISORIES" -- advisories');

const toolEnv = (o: WorkflowOptions) =>
  o.kind === 'npm'
    ? ''
    : `env:
  # The tool, pinned. To upgrade, change it here and in the other advisories workflow.
  ADVISORIES: ${o.tool}

`;

function setup(o: WorkflowOptions, indent: string): string {
  const node = `${indent}- uses: ${ACTIONS.setupNode}
${indent}  with:
${indent}    node-version: ${NODE_VERSION}
`;
  if (o.kind === 'npx') return node;
  return `${node}${indent}    cache: npm
${indent}- run: npm ci
`;
}

export function checkWorkflow(o: WorkflowOptions): string {
  return `${header(o, 'Pull requests: every advisory problem as an annotation on its line, and a job summary.')}name: advisories-check

on:
  pull_request:

permissions:
  contents: read

concurrency:
  group: advisories-check-\${{ github.event.pull_request.number }}
  cancel-in-progress: true

${toolEnv(o)}jobs:
  check:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: ${ACTIONS.checkout}
        with:
          # The pull request's own commits with full history: annotations land on the lines the author wrote,
          # and --base sees which advisory ids the base branch took since the branch forked.
          ref: \${{ github.event.pull_request.head.sha }}
          fetch-depth: 0
          persist-credentials: false
${setup(o, '      ')}      - name: Check advisories
        env:
          BASE_REF: \${{ github.base_ref }}
          # Opens sealed advisories; absent on pull requests from forks, which then check their clear part only.
          ADVISORIES_AGE_IDENTITY: \${{ secrets.ADVISORIES_AGE_IDENTITY }}
        run: ${tool(o)} check --format github --base "origin/$BASE_REF" --summary "$GITHUB_STEP_SUMMARY"
`;
}

export function publishWorkflow(o: WorkflowOptions): string {
  const cacheKey = o.kind === 'npm' ? "\${{ hashFiles('package-lock.json') }}" : '\${{ env.ADVISORIES }}';
  return `${header(o, 'Check, build the site, deploy it to GitHub Pages, mail the subscribers.')}#
# Runs on every push to ${o.branch} and every hour, so an embargoed advisory goes out within the hour of its
# \`published\` time.
#
# GitHub DISABLES SCHEDULED WORKFLOWS after 60 days without activity in a public repository: embargoed
# advisories would then silently never go out. The keepalive job below re-enables this workflow through the
# API once a month, which resets that clock. If it is ever disabled anyway (Actions shows a banner), enable it
# again under Actions → advisories-publish, and run it by hand (Run workflow) to publish what is due.
#
# Set up once: Settings → Pages → Source: GitHub Actions; Settings → Secrets and variables → Actions:
# STATE_PASSPHRASE (keep a copy), SMTP_URL, UNSUBSCRIBE_SECRET, the list (SUBSCRIBERS_CSV, or DATABASE_URL
# when \`advisories serve\` keeps it) and, if used, DKIM_PRIVATE_KEY, DKIM_SELECTOR, DKIM_DOMAIN, PGP_PRIVATE_KEY,
# PGP_PASSPHRASE (they sign the mail and the CSAF documents), and ADVISORIES_AGE_IDENTITY
# (the CI's age secret key, whose public key is in "seal.recipients": it opens sealed embargoed advisories).
name: advisories-publish

on:
  push:
    branches: [${o.branch}]
  schedule:
    - cron: '17 * * * *'
    - cron: '41 5 1 * *' # monthly: the keepalive job only
  workflow_dispatch:
    inputs:
      fresh:
        description: >-
          Start a new mail ledger although the ${STATE_BRANCH} branch exists. Only when the saved ledger is truly
          lost: everything published that is not in the new ledger is mailed again.
        type: boolean
        default: false

# Nothing by default; each job asks for what it needs.
permissions: {}

# One run at a time, and never cancel one: a cancelled run could stop halfway through sending mail.
concurrency:
  group: advisories-publish
  cancel-in-progress: false

${toolEnv(o)}jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 20
    permissions:
      contents: read
    outputs:
      now: \${{ steps.clock.outputs.now }}
    steps:
      - uses: ${ACTIONS.checkout}
        with:
          fetch-depth: 0 # \`modified\` dates come from git history; a shallow clone has none
          persist-credentials: false
${setup(o, '      ')}      # The build cache only (content-addressed, nothing secret), never the mail ledger.
      - uses: ${ACTIONS.cache}
        with:
          path: .advisories-state/cache
          key: advisories-cache-\${{ runner.os }}-${cacheKey}-\${{ github.run_id }}
          restore-keys: |
            advisories-cache-\${{ runner.os }}-${cacheKey}-
            advisories-cache-\${{ runner.os }}-
      - id: clock
        # One clock for the whole run: the site and the mail agree on which embargoes have ended.
        run: echo "now=$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$GITHUB_OUTPUT"
      - name: Check
        env:
          NOW: \${{ steps.clock.outputs.now }}
          # Opens sealed advisories whose time has come; diagnostics never quote them.
          ADVISORIES_AGE_IDENTITY: \${{ secrets.ADVISORIES_AGE_IDENTITY }}
        run: ${tool(o)} check --format github --now "$NOW"
      - name: Build the site
        env:
          NOW: \${{ steps.clock.outputs.now }}
          # Opens sealed advisories whose time has come; diagnostics never quote them.
          ADVISORIES_AGE_IDENTITY: \${{ secrets.ADVISORIES_AGE_IDENTITY }}
          # Signs the CSAF documents (.asc beside each) with the key that signs the mail; unset, they go unsigned.
          PGP_PRIVATE_KEY: \${{ secrets.PGP_PRIVATE_KEY }}
          PGP_PASSPHRASE: \${{ secrets.PGP_PASSPHRASE }}
        run: ${tool(o)} build --out dist --now "$NOW"
      - uses: ${ACTIONS.configurePages}
      - uses: ${ACTIONS.uploadPages}
        with:
          path: dist

  deploy:
    needs: build
    runs-on: ubuntu-latest
    timeout-minutes: 10
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: ${ACTIONS.deployPages}

  notify:
    # After the deploy, so every link in the mail already works.
    needs: [build, deploy]
    runs-on: ubuntu-latest
    timeout-minutes: 30
    permissions:
      contents: write # only to push the encrypted ledger to the ${STATE_BRANCH} branch
    steps:
      - uses: ${ACTIONS.checkout}
        with:
          fetch-depth: 0
${setup(o, '      ')}      - name: Is there a saved ledger?
        # The first run starts the ledger by itself: --fresh only while the ${STATE_BRANCH} branch does not exist.
        # Once it does, a ledger that cannot be restored stops the mail instead of mailing everyone again.
        id: ledger
        env:
          FRESH: \${{ inputs.fresh }}
        run: |
          status=0
          git ls-remote --exit-code --heads origin ${STATE_BRANCH} > /dev/null || status=$?
          if [ "$FRESH" = true ] || [ "$status" = 2 ]; then
            echo "flag=--fresh" >> "$GITHUB_OUTPUT"
          elif [ "$status" = 0 ]; then
            echo "flag=--require-ledger" >> "$GITHUB_OUTPUT"
          else
            echo "::error::cannot reach origin to look for the ${STATE_BRANCH} branch (git ls-remote exit $status)"
            exit 1
          fi
      - name: Restore the mail ledger
        id: restore
        env:
          STATE_PASSPHRASE: \${{ secrets.STATE_PASSPHRASE }}
        run: ${tool(o)} state restore
      - name: Write the subscriber list
        # Only for a list kept as a CSV secret; without one, notify mails the list store's subscribers.
        env:
          SUBSCRIBERS_CSV: \${{ secrets.SUBSCRIBERS_CSV }}
        run: |
          if [ -n "$SUBSCRIBERS_CSV" ]; then
            umask 077
            printf '%s\\n' "$SUBSCRIBERS_CSV" > "$RUNNER_TEMP/subscribers.csv"
            echo "SUBSCRIBERS=$RUNNER_TEMP/subscribers.csv" >> "$GITHUB_ENV"
          fi
      - name: Notify subscribers
        env:
          NOW: \${{ needs.build.outputs.now }}
          LEDGER: \${{ steps.ledger.outputs.flag }}
          # The hosted list store (PostgreSQL), shared with \`advisories serve\`; unset: SQLite in the state folder.
          DATABASE_URL: \${{ secrets.DATABASE_URL }}
          SMTP_URL: \${{ secrets.SMTP_URL }}
          UNSUBSCRIBE_SECRET: \${{ secrets.UNSUBSCRIBE_SECRET }}
          DKIM_PRIVATE_KEY: \${{ secrets.DKIM_PRIVATE_KEY }}
          DKIM_SELECTOR: \${{ secrets.DKIM_SELECTOR }}
          DKIM_DOMAIN: \${{ secrets.DKIM_DOMAIN }}
          PGP_PRIVATE_KEY: \${{ secrets.PGP_PRIVATE_KEY }}
          PGP_PASSPHRASE: \${{ secrets.PGP_PASSPHRASE }}
          ADVISORIES_AGE_IDENTITY: \${{ secrets.ADVISORIES_AGE_IDENTITY }}
        run: ${tool(o)} notify --now "$NOW" "$LEDGER"
      - name: Save the mail ledger
        # Also after a failed or partial send: the ledger then records exactly what went out. Never when the
        # restore failed, so nothing overwrites a ledger that could not be read.
        if: always() && steps.restore.outcome == 'success'
        env:
          STATE_PASSPHRASE: \${{ secrets.STATE_PASSPHRASE }}
        run: ${tool(o)} state save

  keepalive:
    # See the note at the top: re-enabling the workflow resets GitHub's 60-day inactivity clock.
    if: github.event_name == 'schedule' && github.event.schedule == '41 5 1 * *'
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions:
      actions: write
    steps:
      - env:
          GH_TOKEN: \${{ github.token }}
          REPO: \${{ github.repository }}
        run: gh workflow enable ${PUBLISH_FILE} --repo "$REPO"
`;
}
