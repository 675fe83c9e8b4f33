import { simpleGit, type SimpleGit } from "simple-git";
import { rmSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

/** A real git repository in `dir`, with helpers to commit files on a given date. */
export async function gitRepo(dir: string): Promise<{ git: SimpleGit; commit: (files: Record<string, string | null>, message: string, date: string) => Promise<string> }> {
  const git = simpleGit({ baseDir: dir, allowEnvironment: ["GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"] });
  await git.init(["--initial-branch=main"]);
  await git.addConfig("user.name", "Ada Admin");
  await git.addConfig("user.email", "ada@example.org");
  await git.addConfig("commit.gpgsign", "false");
  const commit = async (files: Record<string, string | null>, message: string, date: string) => {
    for (const [path, content] of Object.entries(files)) {
      const abs = join(dir, path);
      if (content === null) rmSync(abs, { force: true });
      else {
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, content);
      }
    }
    await git.add(["-A"]);
    const stamp = `${date}T10:00:00+00:00`;
    // Only what git needs: simple-git refuses inherited variables such as EDITOR.
    await git.env({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? dir, GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp }).commit(message);
    return (await git.revparse(["HEAD"])).trim();
  };
  return { git, commit };
}
