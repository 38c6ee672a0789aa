/*
 * lib/clock.h: the simulated clock fires timers at their deadlines, in
 * order, including timers armed by a callback; stopped timers never fire;
 * the real clock runs a timer on libev no earlier than its deadline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/clock.h"

#define MAX_FIRES 16

struct fires {
	unsigned n;
	uint64_t at[MAX_FIRES];
	int who[MAX_FIRES];
};

static struct fires fired;

struct owner {
	int id;
	struct timer t;
	uint64_t rearm_ms; /* the callback arms the timer again this far ahead */
	unsigned rearms;
};

static void owner_fn(struct timer *t, void *arg)
{
	struct owner *o = arg;

	assert_ptr_equal(t, &o->t);
	assert_false(timer_is_active(t)); /* disarmed before its callback */
	if (fired.n < MAX_FIRES) {
		fired.at[fired.n] = clock_now_ms();
		fired.who[fired.n] = o->id;
		fired.n++;
	}
	if (o->rearms) {
		o->rearms--;
		timer_start_ms(t, o->rearm_ms);
	}
}

static int setup(void **state)
{
	(void)state;
	fired = (struct fires){0};
	clock_sim_start(1000000);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	clock_sim_stop();
	return 0;
}

static void test_sim_time_is_frozen(void **state)
{
	(void)state;
	assert_int_equal(clock_now_ms(), 1000000);
	assert_int_equal(clock_now_ms(), 1000000);
	clock_sim_advance(250);
	assert_int_equal(clock_now_ms(), 1000250);
	assert_true(clock_sim_active());
}

static void test_sim_fires_in_deadline_order(void **state)
{
	struct owner a = {.id = 1}, b = {.id = 2}, c = {.id = 3};

	(void)state;
	timer_init(&a.t, NULL, owner_fn, &a);
	timer_init(&b.t, NULL, owner_fn, &b);
	timer_init(&c.t, NULL, owner_fn, &c);
	timer_start_ms(&a.t, 300);
	timer_start_ms(&b.t, 100);
	timer_start_at(&c.t, 1000200);
	assert_int_equal(clock_sim_armed(), 3);
	assert_int_equal(timer_deadline_ms(&b.t), 1000100);
	clock_sim_advance(99);
	assert_int_equal(fired.n, 0);
	clock_sim_advance(1000);
	assert_int_equal(fired.n, 3);
	assert_int_equal(fired.who[0], 2);
	assert_int_equal(fired.at[0], 1000100);
	assert_int_equal(fired.who[1], 3);
	assert_int_equal(fired.at[1], 1000200);
	assert_int_equal(fired.who[2], 1);
	assert_int_equal(fired.at[2], 1000300);
	assert_int_equal(clock_now_ms(), 1001099);
	assert_int_equal(clock_sim_armed(), 0);
}

static void test_sim_rearm_from_callback(void **state)
{
	struct owner a = {.id = 1, .rearm_ms = 1000, .rearms = 3};

	(void)state;
	timer_init(&a.t, NULL, owner_fn, &a);
	timer_start_ms(&a.t, 500);
	clock_sim_advance(2600); /* 500, 1500, 2500; the next at 3500 waits */
	assert_int_equal(fired.n, 3);
	assert_int_equal(fired.at[0], 1000500);
	assert_int_equal(fired.at[1], 1001500);
	assert_int_equal(fired.at[2], 1002500);
	assert_true(timer_is_active(&a.t));
	assert_true(clock_sim_step());
	assert_int_equal(fired.n, 4);
	assert_int_equal(clock_now_ms(), 1003500);
	assert_false(clock_sim_step()); /* no more rearms: nothing armed */
	assert_int_equal(clock_now_ms(), 1003500);
}

static void test_sim_stop_and_restart(void **state)
{
	struct owner a = {.id = 1}, b = {.id = 2};

	(void)state;
	timer_init(&a.t, NULL, owner_fn, &a);
	timer_init(&b.t, NULL, owner_fn, &b);
	timer_start_ms(&a.t, 100);
	timer_start_ms(&b.t, 100);
	timer_stop(&a.t);
	timer_stop(&a.t);          /* twice is fine */
	timer_start_ms(&b.t, 400); /* re-arming moves the deadline */
	assert_int_equal(clock_sim_armed(), 1);
	clock_sim_advance(399);
	assert_int_equal(fired.n, 0);
	clock_sim_advance(1);
	assert_int_equal(fired.n, 1);
	assert_int_equal(fired.who[0], 2);
}

static void test_sim_past_deadline_fires_at_once(void **state)
{
	struct owner a = {.id = 1};

	(void)state;
	timer_init(&a.t, NULL, owner_fn, &a);
	timer_start_at(&a.t, 5); /* long past */
	clock_sim_advance(0);
	assert_int_equal(fired.n, 1);
	assert_int_equal(fired.at[0], 1000000); /* time never goes back */
}

static void test_sim_stop_disarms_everything(void **state)
{
	struct owner a = {.id = 1};

	(void)state;
	timer_init(&a.t, NULL, owner_fn, &a);
	timer_start_ms(&a.t, 10);
	clock_sim_stop();
	assert_false(timer_is_active(&a.t));
	assert_int_equal(clock_sim_armed(), 0);
	clock_sim_start(0);
	clock_sim_advance(100);
	assert_int_equal(fired.n, 0);
}

static void real_fn(struct timer *t, void *arg)
{
	uint64_t *at = arg;

	*at = clock_now_ms();
	ev_break(t->loop, EVBREAK_ALL);
}

/* On libev: never before the deadline. */
static void test_real_clock_timer(void **state)
{
	struct ev_loop *loop = ev_loop_new(EVFLAG_AUTO);
	struct timer t;
	uint64_t at = 0, start, deadline;

	(void)state;
	clock_sim_stop();
	start = clock_now_ms();
	deadline = start + 30;
	timer_init(&t, loop, real_fn, &at);
	timer_start_at(&t, deadline);
	assert_true(timer_is_active(&t));
	ev_run(loop, 0);
	assert_true(at >= deadline);
	assert_true(at < deadline + 1000);
	assert_false(timer_is_active(&t));
	timer_stop(&t);
	ev_loop_destroy(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_sim_time_is_frozen, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sim_fires_in_deadline_order, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sim_rearm_from_callback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sim_stop_and_restart, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sim_past_deadline_fires_at_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sim_stop_disarms_everything, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_real_clock_timer, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
