/** The project's stack files, as the offline tools read them (the reading itself: lib/config/stackFile.ts). */
export { PROJECT_DIR, listStackFiles as listStacks, readStackFile as readStackConfig } from "../lib/config/stackFile";
