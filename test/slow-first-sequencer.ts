// Test files in the order that finishes soonest on two cores: the infra files first (their mocked deploys run
// in vitest's main process, beside the workers), then vitest's own order (failed first, then the slowest by the
// last run's durations, then the largest). Without it a first run, which has no durations yet, ends on a deploy.
import { BaseSequencer, type TestSpecification } from "vitest/node";

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const infra = (file: TestSpecification) => file.moduleId.includes("/test/infra/");
    return [...sorted.filter(infra), ...sorted.filter((file) => !infra(file))];
  }
}
