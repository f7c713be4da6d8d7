// Profiles the client side of the output case alone:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/channel/profile-output.js [rounds]
import { startAgentProcess } from './agent-process.js';
import { outputOurs } from './cases.js';

const rounds = Number(process.argv[2] ?? 5);
const agent = await startAgentProcess();
try {
  for (let round = 0; round < rounds; round += 1) {
    const { mbPerS } = await outputOurs(agent, { messages: 32_000 });
    console.log(`round ${round + 1}: ${mbPerS.toFixed(1)} MB/s`);
  }
} finally {
  await agent.close();
}
