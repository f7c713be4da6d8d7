#!/usr/bin/env node
// The `gamelift-admin-shell` command. It lives outside dist/ so that a package manager can link it before the
// package is built (a workspace install links bins before any build runs).
import '../dist/cli/main.js';
