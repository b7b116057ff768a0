<?php
namespace SegmentPress\Tests;
class QueueTest extends TestCase { public function test_placeholder() { $this->markTestIncomplete(); } }
