using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Spooled.Testing;
using Xunit.Abstractions;

namespace Spooled.Broker.Tests.Kill;

/// <summary>
/// A real SIGKILL of a process running the broker under load with the Fsync policy, repeated on one
/// directory: every enqueue, claim, completion and failure the child reported as acknowledged must
/// be in the state the broker recovers, and that state must be consistent. The child is
/// tests/Spooled.Broker.KillTarget, copied into killtarget/ of this test's output by the test project.
/// </summary>
/// <remarks>In the "heavy" collection: the child keeps the cores and the disk busy.</remarks>
[Collection("heavy")]
public sealed class BrokerKillTests(ITestOutputHelper output)
{
    private const string OrgId = "kill-org";
    private const int Rounds = 6;
    private const int EarlyKillRound = 3;
    private const int ChildLeaseSeconds = 5;
    private static readonly string[] s_queues = ["bulk", "single"];

    [Fact]
    public async Task SigKill_UnderLoadWithFsync_EveryAcknowledgedChangeSurvives()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"seed {seed}");
        var elapsed = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var dir = Path.Combine(Path.GetTempPath(), "spooled-broker-kill-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var enqueued = new Dictionary<Guid, string>();
            var claimed = new HashSet<Guid>();
            var completed = new HashSet<Guid>();
            var failures = new Dictionary<Guid, int>();
            for (var round = 0; round < Rounds; round++)
            {
                // One round kills early (from process start: during the child's recovery, its setup
                // or its first writes); the others a random time after the first acknowledgement.
                var early = round == EarlyKillRound;
                var runFor = early ? random.Next(50, 400) : random.Next(300, 1501);
                var context = $"seed {seed}, round {round}, killed after {runFor} ms{(early ? " from start" : string.Empty)}";
                var lines = await RunAndKillAsync(dir, runFor, early, deadline.Token);
                var (e, l, c, f, s) = (0, 0, 0, 0, 0);
                foreach (var line in lines)
                {
                    switch (line.Split(' '))
                    {
                        case ["R", var replayed, var jobs]:
                            // Nothing is ever removed here (no purges, retention far away), so the
                            // child recovered at least every job acknowledged in earlier rounds.
                            var recovered = int.Parse(jobs, CultureInfo.InvariantCulture);
                            Assert.True(recovered >= enqueued.Count, $"{context}: the child recovered {recovered} job(s), but {enqueued.Count} enqueue(s) were acknowledged before");
                            output.WriteLine($"round {round}: the child replayed {replayed} record(s) and holds {jobs} job(s)");
                            break;
                        case ["E", var id, var token]:
                            Assert.True(enqueued.TryAdd(Guid.Parse(id), token), $"{context}: job {id} was acknowledged as enqueued twice");
                            e++;
                            break;
                        case ["L", var id]:
                            claimed.Add(Guid.Parse(id));
                            l++;
                            break;
                        case ["C", var id]:
                            Assert.True(completed.Add(Guid.Parse(id)), $"{context}: job {id} was acknowledged as completed twice");
                            c++;
                            break;
                        case ["F", var id]:
                            var failed = Guid.Parse(id);
                            failures[failed] = failures.GetValueOrDefault(failed) + 1;
                            f++;
                            break;
                        case ["S", _]:
                            s++;
                            break;
                        default:
                            Assert.Fail($"{context}: unexpected line from the child: '{line}'");
                            break;
                    }
                }

                output.WriteLine($"{context}: acknowledged {e} enqueue(s), {l} claim(s), {c} completion(s), {f} failure(s), {s} snapshot(s)");
            }

            Assert.True(enqueued.Count > 0 && completed.Count > 0, $"seed {seed}: the children acknowledged {enqueued.Count} enqueue(s) and {completed.Count} completion(s)");
            Assert.True(failures.Count > 0, $"seed {seed}: the children acknowledged no failure");
            output.WriteLine($"rounds done after {elapsed.ElapsedMilliseconds} ms");
            await VerifyAsync(dir, enqueued, claimed, completed, failures, $"seed {seed}, final check");
            output.WriteLine($"verified {enqueued.Count} enqueue(s), {claimed.Count} claimed job(s), {completed.Count} completion(s), {failures.Count} failed job(s) in {elapsed.ElapsedMilliseconds} ms");
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp directory must not hide the test's own outcome.
            }
        }
    }

    /// <summary>
    /// Opens the broker in-process on a frozen clock (so no lease expires while the state is read)
    /// and checks every acknowledgement and the state's consistency; then lets every lease lapse and
    /// checks that everything pending, including what a killed child held, can be claimed and
    /// completed, and that this survives a clean restart.
    /// </summary>
    private async Task VerifyAsync(string dir, Dictionary<Guid, string> enqueued, HashSet<Guid> claimed, HashSet<Guid> completed, Dictionary<Guid, int> failures, string context)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new BrokerOptions { Log = BrokerOptions.ForDirectory(dir).Log, TimeProvider = clock };
        JobCounts final;
        await using (var broker = JobBroker.Open(options))
        {
            output.WriteLine($"final open: snapshot {broker.Startup.SnapshotPosition?.ToString(CultureInfo.InvariantCulture) ?? "none"}, {broker.Startup.RecordsReplayed} record(s) replayed, {broker.Startup.Jobs} job(s), {broker.Startup.TotalTime.TotalMilliseconds:F0} ms");
            var counts = await broker.GetJobCountsAsync(OrgId);

            // Every job in exactly one status, and the counts add up to the jobs listed.
            var statusOf = new Dictionary<Guid, JobStatus>();
            foreach (var status in Enum.GetValues<JobStatus>())
            {
                var listed = await ListAllAsync(broker, status);
                foreach (var id in listed)
                {
                    if (!statusOf.TryAdd(id, status))
                    {
                        Assert.Fail($"{context}: job {id} is listed as {statusOf[id]} and as {status}");
                    }
                }

                Assert.True(listed.Count == CountOf(counts, status), $"{context}: {listed.Count} job(s) listed as {status}, but the counts say {CountOf(counts, status)}");
            }

            Assert.Equal(counts.Total, statusOf.Count);
            var views = await GetAllAsync(broker, statusOf.Keys);
            foreach (var (id, status) in statusOf)
            {
                var view = views[id];
                Assert.True(view.Status == status, $"{context}: job {id} is listed as {status} but reads as {view.Status}");
                Assert.Contains(view.QueueName, s_queues);
                Assert.True(view.Payload.AsSpan().StartsWith("{\"token\":\""u8), $"{context}: job {id} has payload '{Encoding.UTF8.GetString(view.Payload)}'");

                // Only a claim sets StartedAt, and every status but pending needs a claim first.
                Assert.True(view.StartedAt is not null || (view.Status == JobStatus.Pending && view.RetryCount == 0), $"{context}: job {id} is {view.Status} with {view.RetryCount} retries but was never started");
            }

            foreach (var (id, token) in enqueued)
            {
                if (!views.TryGetValue(id, out var view))
                {
                    Assert.Fail($"{context}: job {id} was acknowledged as enqueued but is missing");
                }

                Assert.True(view.Payload.AsSpan().SequenceEqual(Payload(token)), $"{context}: job {id} has payload '{Encoding.UTF8.GetString(view.Payload)}', not the one enqueued with token {token}");
            }

            foreach (var id in completed)
            {
                if (!views.TryGetValue(id, out var view))
                {
                    Assert.Fail($"{context}: job {id} was acknowledged as completed but is missing");
                }

                Assert.True(view.Status == JobStatus.Completed, $"{context}: job {id} was acknowledged as completed but is {view.Status}");
                Assert.True(view.Result is not null && view.Result.AsSpan().SequenceEqual(Result(id)), $"{context}: completed job {id} lost its result");
            }

            foreach (var (id, count) in failures)
            {
                if (!views.TryGetValue(id, out var view))
                {
                    Assert.Fail($"{context}: job {id} was acknowledged as failed but is missing");
                }

                Assert.True(view.RetryCount >= count, $"{context}: job {id} failed {count} acknowledged time(s) but has {view.RetryCount} retries");
            }

            foreach (var id in claimed)
            {
                if (!views.TryGetValue(id, out var view))
                {
                    Assert.Fail($"{context}: job {id} was acknowledged as claimed but is missing");
                }

                // A claim is answered before its own lease record is durable (design.md 2.4), so a
                // kill can take the lease back: the job is then pending again, and is delivered
                // again below. What it can never be is gone, or in any other state unstarted.
                Assert.True(view.StartedAt is not null || view.Status == JobStatus.Pending, $"{context}: job {id} was acknowledged as claimed but is {view.Status} and was never started");
            }

            // What the killed children held stays processing until its lease lapses, then comes
            // back: no claim outlives its lease, and no job stays held.
            var now = clock.GetUtcNow();
            var held = statusOf.Where(p => p.Value == JobStatus.Processing).Select(p => p.Key).ToList();
            foreach (var id in held)
            {
                Assert.True(views[id].LeaseExpiresAt is { } expires && expires <= now.AddSeconds(ChildLeaseSeconds), $"{context}: processing job {id} has lease expiry {views[id].LeaseExpiresAt:O}, beyond the {ChildLeaseSeconds} s the child asked for");
            }

            clock.Advance(TimeSpan.FromSeconds(ChildLeaseSeconds + 1));
            await broker.RunTimersAsync();
            var lapsed = await broker.GetJobCountsAsync(OrgId);
            Assert.Equal(0, lapsed.Processing);
            Assert.Equal(counts.Total, lapsed.Total);
            var released = new List<Guid>();
            foreach (var (id, view) in await GetAllAsync(broker, held))
            {
                Assert.True(view.RetryCount == views[id].RetryCount + 1, $"{context}: job {id} had {views[id].RetryCount} retries before its lease lapsed and {view.RetryCount} after");
                if (view.Status == JobStatus.Pending)
                {
                    released.Add(id);
                }
                else
                {
                    Assert.True(view.Status == JobStatus.DeadLetter && view.RetryCount > view.MaxRetries, $"{context}: job {id} is {view.Status} with {view.RetryCount}/{view.MaxRetries} retries after its lease lapsed");
                }
            }

            // Every pending job is due now (retry backoff is 1 s): a worker gets them all.
            var reclaimed = new HashSet<Guid>();
            foreach (var queue in s_queues)
            {
                while (await broker.ClaimAsync(OrgId, new ClaimRequest { QueueName = queue, WorkerId = "verifier", Limit = 100, LeaseSeconds = 60 }) is { Count: > 0 } jobs)
                {
                    foreach (var job in jobs)
                    {
                        Assert.True(reclaimed.Add(job.Id), $"{context}: job {job.Id} was claimed twice");
                    }

                    var acks = jobs.Select(j => new JobAck { JobId = j.Id, LeaseId = j.LeaseId, Result = Result(j.Id) }).ToList();
                    foreach (var result in await broker.CompleteManyAsync(OrgId, "verifier", acks))
                    {
                        Assert.True(result.Error is null, $"{context}: completing reclaimed job {result.JobId} was refused: {result.Error} {result.Message}");
                    }
                }
            }

            Assert.Equal(lapsed.Pending, reclaimed.Count);
            foreach (var id in released)
            {
                Assert.True(reclaimed.Contains(id), $"{context}: job {id} was released by its lease's expiry but could not be claimed");
            }

            final = await broker.GetJobCountsAsync(OrgId);
            Assert.Equal(lapsed with { Pending = 0, Completed = lapsed.Completed + reclaimed.Count }, final);
            output.WriteLine($"{counts.Total} job(s): {counts}; {held.Count} held by a killed child ({released.Count} released to pending by lease expiry); {reclaimed.Count} claimed and completed after recovery");
        }

        await using (var reopened = JobBroker.Open(options))
        {
            Assert.Equal(final, await reopened.GetJobCountsAsync(OrgId));
        }
    }

    private static byte[] Payload(string token) => Encoding.UTF8.GetBytes($"{{\"token\":\"{token}\"}}");

    private static byte[] Result(Guid jobId) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"job\":\"{jobId}\"}}"));

    private static long CountOf(JobCounts counts, JobStatus status) => status switch
    {
        JobStatus.Pending => counts.Pending,
        JobStatus.Scheduled => counts.Scheduled,
        JobStatus.Processing => counts.Processing,
        JobStatus.Completed => counts.Completed,
        JobStatus.Failed => counts.Failed,
        JobStatus.DeadLetter => counts.DeadLetter,
        JobStatus.Cancelled => counts.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    private static async Task<List<Guid>> ListAllAsync(JobBroker broker, JobStatus status)
    {
        const int PageSize = 100;
        var ids = new List<Guid>();
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await broker.ListJobsAsync(OrgId, new JobQuery { Status = status, Limit = PageSize, Offset = offset });
            foreach (var job in page)
            {
                Assert.Equal(status, job.Status);
                ids.Add(job.Id);
            }

            if (page.Count < PageSize)
            {
                return ids;
            }
        }
    }

    private static async Task<Dictionary<Guid, JobView>> GetAllAsync(JobBroker broker, IEnumerable<Guid> ids)
    {
        var views = new Dictionary<Guid, JobView>();
        foreach (var chunk in ids.Chunk(1000))
        {
            // Many reads in flight at once: the engine answers a chunk in one turn.
            var read = await Task.WhenAll(chunk.Select(id => broker.GetJobAsync(OrgId, id)));
            for (var i = 0; i < chunk.Length; i++)
            {
                Assert.True(read[i] is not null, $"job {chunk[i]} is listed but cannot be read");
                views.Add(chunk[i], read[i]!);
            }
        }

        return views;
    }

    /// <summary>Runs the child, kills it with SIGKILL and returns every complete line it printed.</summary>
    private static async Task<List<string>> RunAndKillAsync(string directory, int runForMs, bool fromStart, CancellationToken deadline)
    {
        // The first line is "R …" (what startup replayed); every later one reports an acknowledgement.
        var stdout = await KillableChild.RunAndKillAsync(KillTargetPath(), [directory], readyLines: 2, runForMs, fromStart, deadline);
        return Parse(stdout);
    }

    /// <summary>Every newline-terminated line; a kill can cut only the last one, which is ignored.</summary>
    private static List<string> Parse(byte[] stdout)
    {
        var lines = Encoding.ASCII.GetString(stdout).Split('\n');
        return [.. lines[..^1]];
    }

    private static string KillTargetPath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "killtarget", "Spooled.Broker.KillTarget.dll");
        Assert.True(File.Exists(path), $"{path} is missing: the test project's CopyKillTarget target copies it there on build");
        return path;
    }
}
