namespace VirtSim.Kernel.Processes;

/// <summary>
/// A process: a C# iterator that yields what it waits for, so that its code reads as the story
/// it models (<c>yield return sim.Delay(boot); yield return cpu.Request(); ...</c>). A process
/// can itself be waited on: it succeeds when its body ends.
/// </summary>
public sealed class Process : Wakeable, IWaitable
{
    private enum State : byte { Scheduled, Running, Delayed, Parked, Ended }

    private readonly Simulation _sim;
    private IEnumerator<Await>? _body;
    private long _pendingSeq = -1;
    private IWaitable? _waitingOn;
    private object? _value;
    private Rare? _rare;
    private State _state;
    private bool _interruptPending;
    private bool _interrupted;

    // What few processes need (interrupt causes, processes waiting for this one to end) lives
    // out of line, keeping every parked process small.
    private sealed class Rare
    {
        public object? InterruptCause;
        public List<Process>? Joiners;
    }

    internal Process(Simulation sim, IEnumerator<Await>? body)
    {
        _sim = sim;
        _body = body;
    }

    /// <summary>The simulation this process runs in.</summary>
    public Simulation Simulation => _sim;

    /// <summary>What the last completed wait delivered: an event's value, a store's item (boxed), or null.</summary>
    public object? Value => _value;

    /// <summary>True right after a wait that ended because the process was interrupted.</summary>
    public bool WasInterrupted => _interrupted;

    /// <summary>The cause given to <see cref="Interrupt"/>, while <see cref="WasInterrupted"/> is true.</summary>
    public object? InterruptCause => _interrupted ? _rare?.InterruptCause : null;

    /// <summary>True once the body has run to its end.</summary>
    public bool HasEnded => _state == State.Ended;

    /// <summary>Asks for the memory of the body's state (a hint: see <see cref="Prefetch"/>).</summary>
    internal void PrefetchBody()
    {
        if (_body is { } body)
        {
            Prefetch.Object(body);
        }
    }

    internal void SetBody(IEnumerator<Await> body) => _body = body;

    internal void ScheduleFirstStep()
    {
        _state = State.Scheduled;
        _pendingSeq = _sim.Schedule(0, this);
    }

    /// <summary>
    /// Wakes a parked process because what it waited on is now satisfied; called by waitables.
    /// The process continues as an event at the current time, after the events already due now.
    /// </summary>
    public void Resume(object? value = null)
    {
        if (_state != State.Parked)
        {
            throw new InvalidOperationException("Only a parked process can be resumed.");
        }
        _waitingOn = null;
        _value = value;
        _state = State.Scheduled;
        _pendingSeq = _sim.Schedule(0, this);
    }

    /// <summary>
    /// Interrupts the process: a pending delay or wait ends at once and the process resumes
    /// with <see cref="WasInterrupted"/> set. If its wait has already been satisfied (it is due
    /// to resume now) the interrupt takes effect at its next wait, so nothing granted is lost.
    /// </summary>
    public void Interrupt(object? cause = null)
    {
        if (_state == State.Ended)
        {
            throw new InvalidOperationException("A process that has ended cannot be interrupted.");
        }
        (_rare ??= new Rare()).InterruptCause = cause;
        switch (_state)
        {
            case State.Parked:
                _waitingOn!.Detach(this);
                _waitingOn = null;
                DeliverInterruptNow();
                break;
            case State.Delayed:
                DeliverInterruptNow();
                break;
            default:
                _interruptPending = true;
                break;
        }
    }

    private void DeliverInterruptNow()
    {
        _value = null;
        _interrupted = true;
        _state = State.Scheduled;
        _pendingSeq = _sim.Schedule(0, this);
    }

    /// <inheritdoc />
    protected internal override void Wake(long seq)
    {
        if (seq != _pendingSeq)
        {
            return;
        }
        _pendingSeq = -1;
        Step();
    }

    private void Step()
    {
        var body = _body!;
        while (true)
        {
            _state = State.Running;
            _sim.ActiveProcess = this;
            bool more;
            try
            {
                more = body.MoveNext();
            }
            finally
            {
                _sim.ActiveProcess = null;
                _interrupted = false;
                _value = null;
            }
            if (!more)
            {
                End();
                return;
            }
            var wait = body.Current;
            if (_interruptPending)
            {
                _interruptPending = false;
                _interrupted = true;
                continue;
            }
            if (wait.Target is null)
            {
                _state = State.Delayed;
                _pendingSeq = _sim.Schedule(wait.Amount, this);
                return;
            }
            _state = State.Parked;
            _waitingOn = wait.Target;
            if (!wait.Target.TryAttach(this, wait))
            {
                return;
            }
            _waitingOn = null;
        }
    }

    /// <summary>Delivers a value to a process whose wait a waitable satisfied synchronously.</summary>
    public void SetValue(object? value) => _value = value;

    private void End()
    {
        _state = State.Ended;
        _body!.Dispose();
        _body = null;
        if (_rare?.Joiners is { } joiners)
        {
            _rare.Joiners = null;
            foreach (var joiner in joiners)
            {
                joiner.Resume();
            }
        }
    }

    bool IWaitable.TryAttach(Process process, in Await request)
    {
        if (_state == State.Ended)
        {
            return true;
        }
        ((_rare ??= new Rare()).Joiners ??= []).Add(process);
        return false;
    }

    void IWaitable.Detach(Process process) => _rare?.Joiners?.Remove(process);
}
