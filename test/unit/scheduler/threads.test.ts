import { describe, expect, test } from 'vitest'
import { ThreadBudget } from '../../../src/scheduler/threads.ts'

const tick = () => new Promise<void>((r) => setImmediate(r))

describe('the thread budget', () => {
  test('never leases more than its size, whatever the mix of requests', async () => {
    const budget = new ThreadBudget(4)
    let inUse = 0
    let most = 0
    const task = async (i: number) => {
      const lease = await budget.acquire(1 + ((i * 7) % 6))
      try {
        expect(lease.count).toBeGreaterThanOrEqual(1)
        inUse += lease.count
        most = Math.max(most, inUse)
        expect(inUse).toBeLessThanOrEqual(4)
        for (let k = 0; k < 1 + (i % 3); k++) await tick()
        inUse -= lease.count
      } finally {
        lease.release()
      }
    }
    await Promise.all(Array.from({ length: 40 }, (_, i) => task(i)))
    expect(most).toBe(4)
    expect(budget.free).toBe(4)
    expect(budget.waiting).toBe(0)
  })

  test('takes what is free up to max, and at least one thread', async () => {
    const budget = new ThreadBudget(3)
    const a = await budget.acquire(2)
    const b = await budget.acquire(5)
    expect([a.count, b.count]).toEqual([2, 1])
    a.release()
    b.release()
    const one = await budget.acquire(0)
    expect(one.count).toBe(1)
  })

  test('serves waiters first come, first served: a later small request does not overtake', async () => {
    const budget = new ThreadBudget(2)
    const first = await budget.acquire(2)
    const order: string[] = []
    const big = budget.acquire(2).then((l) => (order.push(`big:${l.count}`), l))
    const small = budget.acquire(1).then((l) => (order.push(`small:${l.count}`), l))
    await tick()
    expect(order).toEqual([])
    first.release()
    const bigLease = await big
    await tick()
    expect(order).toEqual(['big:2']) // small waits behind big although it asks for less
    bigLease.release()
    ;(await small).release()
    expect(order).toEqual(['big:2', 'small:1'])
    expect(budget.free).toBe(2)
  })

  test('a new request queues behind waiters even when a thread is free', async () => {
    const budget = new ThreadBudget(3)
    const held = await budget.acquire(3)
    const order: string[] = []
    const w1 = budget.acquire(3).then((l) => (order.push(`w1:${l.count}`), l))
    held.release() // w1 takes all three at once
    const w2 = budget.acquire(1).then((l) => (order.push(`w2:${l.count}`), l))
    const l1 = await w1
    await tick()
    expect(order).toEqual(['w1:3'])
    l1.release()
    ;(await w2).release()
    expect(order).toEqual(['w1:3', 'w2:1'])
  })

  test('a stage that fails releases its threads in its finally; release twice is harmless', async () => {
    const budget = new ThreadBudget(2)
    const failing = async () => {
      const lease = await budget.acquire(2)
      try {
        throw new Error('LP failed')
      } finally {
        lease.release()
        lease.release()
      }
    }
    await expect(failing()).rejects.toThrow('LP failed')
    expect(budget.free).toBe(2)
    const next = await budget.acquire(2)
    expect(next.count).toBe(2)
  })

  test('a waiter stops waiting when its signal aborts, and the next one moves up', async () => {
    const budget = new ThreadBudget(1)
    const held = await budget.acquire(1)
    const ac = new AbortController()
    const aborted = budget.acquire(1, ac.signal)
    const after = budget.acquire(1)
    ac.abort()
    await expect(aborted).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(budget.waiting).toBe(1)
    held.release()
    expect((await after).count).toBe(1)
    await expect(budget.acquire(1, ac.signal)).rejects.toMatchObject({ code: 'CANCELLED' })
  })
})
