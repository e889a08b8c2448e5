#nullable enable
using System;
using Cysharp.Threading.Tasks;

namespace LoopBridge.Internal
{
    // The pooled sync work kinds. Each is a thin adapter from one delegate shape to SyncWorkItem<T>; the
    // state-passing kinds exist so callers can avoid a closure allocation per submission.

    /// <summary><see cref="MainLoop.Run(Action, System.Threading.CancellationToken)"/> and <see cref="MainLoop.Post"/>.</summary>
    internal sealed class ActionItem : SyncWorkItem<AsyncUnit>
    {
        private Action? action;

        internal static ActionItem Rent(Action action)
        {
            var item = ItemPool<ActionItem>.Rent();
            item.action = action;
            return item;
        }

        protected override AsyncUnit Invoke()
        {
            action!();
            return AsyncUnit.Default;
        }

        protected override void ClearDelegate() => action = null;

        protected override void ReturnToPool() => ItemPool<ActionItem>.Return(this);

        internal override string Describe() => DescribeDelegate(action);

        internal static string DescribeDelegate(Delegate? d) => d == null ? "(recycled)" : $"{d.Method.DeclaringType?.Name}.{d.Method.Name}";
    }

    /// <summary><see cref="MainLoop.Run{TState}(TState, Action{TState}, System.Threading.CancellationToken)"/>.</summary>
    internal sealed class StateActionItem<TState> : SyncWorkItem<AsyncUnit>
    {
        private Action<TState>? action;
        private TState state = default!;

        internal static StateActionItem<TState> Rent(TState state, Action<TState> action)
        {
            var item = ItemPool<StateActionItem<TState>>.Rent();
            item.action = action;
            item.state = state;
            return item;
        }

        protected override AsyncUnit Invoke()
        {
            action!(state);
            return AsyncUnit.Default;
        }

        protected override void ClearDelegate()
        {
            action = null;
            state = default!;
        }

        protected override void ReturnToPool() => ItemPool<StateActionItem<TState>>.Return(this);

        internal override string Describe() => ActionItem.DescribeDelegate(action);
    }

    /// <summary><see cref="MainLoop.Run{T}(Func{T}, System.Threading.CancellationToken)"/>.</summary>
    internal sealed class FuncItem<T> : SyncWorkItem<T>
    {
        private Func<T>? func;

        internal static FuncItem<T> Rent(Func<T> func)
        {
            var item = ItemPool<FuncItem<T>>.Rent();
            item.func = func;
            return item;
        }

        protected override T Invoke() => func!();

        protected override void ClearDelegate() => func = null;

        protected override void ReturnToPool() => ItemPool<FuncItem<T>>.Return(this);

        internal override string Describe() => ActionItem.DescribeDelegate(func);
    }

    /// <summary><see cref="MainLoop.Run{TState, T}(TState, Func{TState, T}, System.Threading.CancellationToken)"/>.</summary>
    internal sealed class StateFuncItem<TState, T> : SyncWorkItem<T>
    {
        private Func<TState, T>? func;
        private TState state = default!;

        internal static StateFuncItem<TState, T> Rent(TState state, Func<TState, T> func)
        {
            var item = ItemPool<StateFuncItem<TState, T>>.Rent();
            item.func = func;
            item.state = state;
            return item;
        }

        protected override T Invoke() => func!(state);

        protected override void ClearDelegate()
        {
            func = null;
            state = default!;
        }

        protected override void ReturnToPool() => ItemPool<StateFuncItem<TState, T>>.Return(this);

        internal override string Describe() => ActionItem.DescribeDelegate(func);
    }
}
