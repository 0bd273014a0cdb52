// ECharts, built from the modules the UI's charts use (echarts/core), so the bundle does
// not carry the whole library. Register a chart type or component here before using it.
// Import this module lazily (see components/EChart.vue): it only loads with a chart.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, PieChart, DatasetComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

// The rexin palette, in the order series take it.
export const PALETTE = ['#cf3f2b', '#ee7d34', '#e9a23b', '#1f8a7d', '#3b6fc4', '#8a4fb8'];

export { echarts };
