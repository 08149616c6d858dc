using Spooled.Log.Storage;

namespace Spooled.Log.Tests.Recovery;

/// <summary>
/// The disk as one process sees it. A <see cref="Spooled.Testing.SimulatedStorage"/> models what survives a
/// power loss; this view models the process dying: once killed (now, or when it attempts its n-th next
/// mutating operation) every operation through it, and through every file it opened, throws
/// <see cref="IOException"/> and reaches nothing. One lock serialises its operations, so a kill falls
/// cleanly between two of them, and a log abandoned after a kill can never touch the disk again (an
/// abandoned writer thread would otherwise create files on the restarted disk). It can also hold the
/// next flushes until a test releases them.
/// </summary>
internal sealed class KillableStorage : ILogStorage
{
    private readonly ILogStorage _disk;
    private readonly Queue<FlushPause> _pauses = new();
    private long _budget = -1;
    private bool _dead;
    private long _mutations;

    public KillableStorage(ILogStorage disk) => _disk = disk;

    /// <summary>Guards every operation of this view and of its files.</summary>
    internal Lock Gate { get; } = new();

    /// <summary>Whether the process is dead.</summary>
    public bool IsDead
    {
        get
        {
            lock (Gate)
            {
                return _dead;
            }
        }
    }

    /// <summary>Mutating operations (create, write, flush, truncate, delete, rename, syncdir) that reached the disk.</summary>
    public long Mutations
    {
        get
        {
            lock (Gate)
            {
                return _mutations;
            }
        }
    }

    /// <summary>Kills the process now.</summary>
    public void Kill()
    {
        lock (Gate)
        {
            _dead = true;
        }
    }

    /// <summary>Lets <paramref name="operations"/> more mutating operations through; the next one kills the process. 0 kills now.</summary>
    public void KillAfter(long operations)
    {
        lock (Gate)
        {
            if (operations <= 0)
            {
                _dead = true;
            }
            else
            {
                _budget = operations;
            }
        }
    }

    /// <summary>Holds the next flush not yet claimed by an earlier pause until <see cref="FlushPause.Release"/>.</summary>
    public FlushPause PauseNextFlush()
    {
        var pause = new FlushPause();
        lock (Gate)
        {
            _pauses.Enqueue(pause);
        }

        return pause;
    }

    public IReadOnlyList<string> ListFiles()
    {
        lock (Gate)
        {
            EnterLocked(mutates: false);
            return _disk.ListFiles();
        }
    }

    public bool Exists(string name)
    {
        lock (Gate)
        {
            EnterLocked(mutates: false);
            return _disk.Exists(name);
        }
    }

    public ILogFile Open(string name, LogFileMode mode)
    {
        lock (Gate)
        {
            EnterLocked(mutates: mode == LogFileMode.CreateNew);
            return new KillableFile(this, _disk.Open(name, mode));
        }
    }

    public void Delete(string name)
    {
        lock (Gate)
        {
            EnterLocked(mutates: true);
            _disk.Delete(name);
        }
    }

    public void Rename(string from, string to)
    {
        lock (Gate)
        {
            EnterLocked(mutates: true);
            _disk.Rename(from, to);
        }
    }

    public void SyncDirectory()
    {
        lock (Gate)
        {
            EnterLocked(mutates: true);
            _disk.SyncDirectory();
        }
    }

    /// <summary>Throws when the process is dead or this operation kills it; call with <see cref="Gate"/> held.</summary>
    internal void EnterLocked(bool mutates)
    {
        if (!_dead && mutates && _budget == 0)
        {
            _dead = true;
        }

        if (_dead)
        {
            throw new IOException("Simulated power loss: the process is gone.");
        }

        if (mutates)
        {
            _mutations++;
            if (_budget > 0)
            {
                _budget--;
            }
        }
    }

    internal FlushPause? TakePause()
    {
        lock (Gate)
        {
            return _pauses.Count > 0 && !_dead ? _pauses.Dequeue() : null;
        }
    }

    private sealed class KillableFile(KillableStorage owner, ILogFile inner) : ILogFile
    {
        public string Name => inner.Name;

        public long Length
        {
            get
            {
                lock (owner.Gate)
                {
                    owner.EnterLocked(mutates: false);
                    return inner.Length;
                }
            }
        }

        public int Read(long offset, Span<byte> buffer)
        {
            lock (owner.Gate)
            {
                owner.EnterLocked(mutates: false);
                return inner.Read(offset, buffer);
            }
        }

        public void Write(long offset, ReadOnlySpan<byte> data)
        {
            lock (owner.Gate)
            {
                owner.EnterLocked(mutates: true);
                inner.Write(offset, data);
            }
        }

        public void Flush()
        {
            owner.TakePause()?.Hold();
            lock (owner.Gate)
            {
                owner.EnterLocked(mutates: true);
                inner.Flush();
            }
        }

        public void Truncate(long length)
        {
            lock (owner.Gate)
            {
                owner.EnterLocked(mutates: true);
                inner.Truncate(length);
            }
        }

        public void Dispose()
        {
            lock (owner.Gate)
            {
                if (!owner._dead)
                {
                    inner.Dispose();
                }
            }
        }
    }
}
