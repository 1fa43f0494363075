import { readFileSync } from "node:fs";
import { profileShares } from "./profile.js";
for (const s of profileShares(JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")), Number(process.argv[3])))
  console.log(s.msPerMessage, s.percent, s.category);
